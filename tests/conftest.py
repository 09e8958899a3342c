"""Shared builders: households and cases in the interchange format, and the 米子市 setup."""

from __future__ import annotations

import copy
import os
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import hypothesis_profiles  # noqa: F401  (registers and loads the Hypothesis profile)
import pytest

from counter.catalogue import Catalogue, load_catalogue
from counter.household import Address, Household, Member
from counter.interchange import parse_event_case
from counter.profile import MunicipalityProfile, load_profile

# The longest tests (a real program in a terminal, many processes at once, the snapshot
# walk): run first, so that at the end of a parallel run no worker is still on one of them
# while the others wait.
LONGEST_FIRST = (
    "tests/e2e/test_tmux_visit.py",
    "tests/e2e/test_outreach_processes.py",
    "tests/e2e/test_tmux_outreach.py",
    "tests/db/test_concurrency.py",
    "tests/db/test_schema_creation.py",
    "tests/functional/test_snapshots.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order


def pytest_configure(config: pytest.Config) -> None:
    """The whole session runs with a home of its own: no test, and no program a test
    starts, can reach the developer's files, data directory or tmux server."""
    import shutil
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="counter-test-home-"))
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))
    for variable, folder in (
        ("HOME", ""),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
        ("TMUX_TMPDIR", "tmux"),
        ("HYPOTHESIS_STORAGE_DIRECTORY", "hypothesis"),  # its caches, never the project's
    ):
        (home / folder).mkdir(parents=True, exist_ok=True)
        os.environ[variable] = str(home / folder)
    os.environ.pop("TMUX", None)
    site = str(Path(__file__).parent / "subprocess_site")  # see its sitecustomize
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [site, os.environ.get("PYTHONPATH")]))
    _cheap_password_hashing()


def _cheap_password_hashing() -> None:
    """Argon2 as the program uses it, with the smallest cost (1 pass, 1 MiB): the accounts
    the tests create and sign in would otherwise take ~90 ms a hash. The hashes are real
    Argon2id; a program started by a test verifies them with the cost they carry."""
    from argon2 import PasswordHasher

    from db import staff

    staff._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    staff._dummy_hash.cache_clear()


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user data directory."""
    monkeypatch.setenv("COUNTER_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("COUNTER_DATABASE_URL", raising=False)
    monkeypatch.delenv("COUNTER_MUNICIPALITY", raising=False)  # every test names its city


@pytest.fixture(scope="session")
def profile() -> MunicipalityProfile:
    return load_profile("312029")


@pytest.fixture(scope="session")
def catalogue(profile: MunicipalityProfile) -> Catalogue:
    return load_catalogue().with_profile(profile)


def member(member_id: str, **overrides: Any) -> dict[str, Any]:
    data = {
        "id": member_id,
        "name": "米子　太郎",
        "kana": "ヨナゴ　タロウ",
        "birth_date": "1990-04-01",
        "sex": "male",
        "relation": "head",
        "health_insurance": "national",
    }
    data.update(overrides)
    return data


def document(event: str, event_date: str, members: list[dict], **extra: Any) -> dict[str, Any]:
    data = {
        "municipality": "312029",
        "event": event,
        "event_date": event_date,
        "address": {"postal_code": "6830823", "text": "鳥取県米子市加茂町二丁目1番地"},
        "members": copy.deepcopy(members),
        "answers": {},
    }
    data.update(extra)
    return data


def case_of(event: str, event_date: str, members: list[dict], **extra: Any):
    return parse_event_case(document(event, event_date, members, **extra))


def load_scenarios(folder: Path) -> list[tuple[str, dict]]:
    """Every ``[[scenario]]`` of the TOML files in ``folder``, named for test ids as
    ``file[index] name``: the planning and the certificate scenarios are both read so."""
    found = []
    for path in sorted(folder.glob("*.toml")):
        for index, scenario in enumerate(tomllib.loads(path.read_text("utf-8"))["scenario"]):
            found.append((f"{path.stem}[{index}] {scenario['name']}", scenario))
    return found


def spouse(**overrides: Any) -> dict[str, Any]:
    """米子　花子, the head's spouse in the test families."""
    data = {
        "name": "米子　花子",
        "kana": "ヨナゴ　ハナコ",
        "birth_date": "1992-06-15",
        "sex": "female",
        "relation": "spouse",
    }
    return member("m2", **(data | overrides))


def birth_family(parent_insurance: str = "national", **child: Any) -> list[dict]:
    return [
        member("m1", health_insurance=parent_insurance),
        spouse(health_insurance=parent_insurance),
        member(
            "m3",
            name="米子　陽翔",
            kana="ヨナゴ　ハルト",
            birth_date=child.pop("date", "2026-11-20"),
            relation="child",
            health_insurance="none",
            subject=True,
            **child,
        ),
    ]


# --- databases: every db test runs on a real SQLite file and a real PostgreSQL server ---

import itertools  # noqa: E402

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def cups():
    """A throwaway cupsd for the session (tests/cupsserver.py)."""
    from cupsserver import ThrowawayCups

    server = ThrowawayCups()
    yield server
    server.stop()


@pytest.fixture
def printer(cups, monkeypatch) -> Path:
    """The file the `counter-test` queue prints to, empty; lp talks to the throwaway cupsd."""
    from cupsserver import QUEUE

    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    return cups.add_queue(QUEUE)


@pytest.fixture(scope="session")
def postgres_server():
    """URL of the maintenance database of a server for this session."""
    explicit = os.environ.get("COUNTER_TEST_POSTGRES_URL")
    if explicit:
        yield explicit
        return
    from pgserver import ThrowawayPostgres

    server = ThrowawayPostgres()
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_server):
    """A migrated database every test copies, so each test starts clean and fast."""
    from db.engine import make_engine
    from db.migrate import upgrade

    admin = make_engine(postgres_server).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS counter_template"))
        connection.execute(text("CREATE DATABASE counter_template"))
    template_url = make_url(postgres_server).set(database="counter_template")
    template = make_engine(template_url.render_as_string(hide_password=False))
    upgrade(template)
    template.dispose()
    yield admin
    admin.dispose()


def _postgres_engine(postgres_server, admin):
    from db.engine import make_engine

    name = f"counter_test_{os.getpid()}_{next(_database_numbers)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE counter_template'))
    url = make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    return make_engine(url), name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """One migrated SQLite file per test worker. A test's database is a copy of it: the
    same bytes a fresh upgrade writes (the migrations hold no random or dated value),
    without a quarter of a second of Alembic each time."""
    from db.engine import make_engine
    from db.migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "counter.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    assert not path.with_name(path.name + "-wal").exists()  # all in the one file
    return path


@pytest.fixture
def new_sqlite(sqlite_template):
    """``new_sqlite(path)``: a migrated, empty SQLite database at ``path``; its URL."""
    import shutil

    def make(path: Path) -> str:
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"

    return make


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A migrated, empty database on each backend; yields its URL."""
    if request.param == "sqlite":
        yield request.getfixturevalue("new_sqlite")(tmp_path / "counter.sqlite3")
        return
    admin = request.getfixturevalue("postgres_template")
    server = request.getfixturevalue("postgres_server")
    engine, name = _postgres_engine(server, admin)
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def engine(database_url):
    from db.engine import make_engine

    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path, new_sqlite) -> str:
    """A migrated SQLite file with the administrator kanri and the clerk tanaka, for
    tests that run `counter` as a process (``run_counter``)."""
    from db.engine import make_engine

    url = new_sqlite(tmp_path / "counter.sqlite3")
    engine = make_engine(url)
    add_staff(engine)
    engine.dispose()
    return url


@pytest.fixture
def staffed_url(database_url) -> str:
    """The same on each backend: a migrated database with kanri and tanaka (the kill -9
    tests of a command, which must leave PostgreSQL as whole as SQLite)."""
    from db.engine import make_engine

    engine = make_engine(database_url)
    add_staff(engine)
    engine.dispose()
    return database_url


# --- the Pilot tests' register and settings ---------------------------------------


def pilot_household() -> Household:
    """The household the Pilot tests search for (よなご, two members)."""
    return Household(
        household_id="H900001",
        address=Address("6830823", "鳥取県米子市加茂町二丁目1番地"),
        members=(
            Member(
                "H900001-1",
                "米子　太郎",
                "ヨナゴ　タロウ",
                date(1990, 4, 1),
                "male",
                "head",
                health_insurance="national",
                mynumber_card=True,
            ),
            Member(
                "H900001-2",
                "米子　花子",
                "ヨナゴ　ハナコ",
                date(1992, 6, 15),
                "female",
                "spouse",
                health_insurance="national",
            ),
        ),
    )


@pytest.fixture
def settings(tmp_path: Path, new_sqlite):
    """Settings of a migrated SQLite file holding ``pilot_household()``, no demo seed."""
    from db.engine import make_engine
    from db.register import save_households
    from screens.settings import Settings

    url = new_sqlite(tmp_path / "counter.sqlite3")
    engine = make_engine(url)
    save_households(engine, [pilot_household()], municipality="312029")
    engine.dispose()
    return Settings(
        database_url=url, slip_dir=tmp_path / "slips", device_id="pilot-test", seed_demo=False
    )


ADMIN_PASSWORD = "kanri-no-pass-2026"
CLERK_PASSWORD = "madoguchi-pass-2026"


def add_staff(engine, *, terminal: str = "pilot-test"):
    """The administrator kanri (管理　花子, the first account) and the clerk tanaka
    (田中　一郎, created by kanri), through db.staff as a real install makes them; tanaka
    has signed in once already and chosen his own password (a new account must change
    it first: the tests of that reset or create their own)."""
    from sqlmodel import Session

    from counter.staff import ADMINISTRATOR, CLERK
    from db.models import StaffRow
    from db.staff import create_staff

    admin = create_staff(
        engine,
        login="kanri",
        display_name="管理　花子",
        role=ADMINISTRATOR,
        password=ADMIN_PASSWORD,
        actor=None,
        terminal=terminal,
    )
    clerk = create_staff(
        engine,
        login="tanaka",
        display_name="田中　一郎",
        role=CLERK,
        password=CLERK_PASSWORD,
        actor=admin,
        terminal=terminal,
    )
    with Session(engine) as session:
        row = session.get(StaffRow, clerk.id)
        row.must_change_password = False
        session.commit()
    return admin, replace(clerk, must_change_password=False)


@pytest.fixture
def clerk(settings):
    """The clerk 田中　一郎, signed in for apps started in tests (the login screen has
    tests of its own)."""
    from db.engine import make_engine

    engine = make_engine(settings.database_url)
    _, member = add_staff(engine)
    engine.dispose()
    return member


def add_clerk(engine, staff_id: str, display_name: str) -> None:
    """A staff row for tests that record who changed a checklist line."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    from db.models import StaffRow

    with Session(engine) as session:
        session.add(
            StaffRow(
                id=staff_id,
                login=f"clerk-{staff_id}",
                display_name=display_name,
                role="clerk",
                created_at=datetime.now(UTC),
            )
        )
        session.commit()


def run_counter(url: str, *args: str, login: str | None = None, env: dict | None = None,
                timeout: float = 120, more_input: str = ""):  # fmt: skip
    """`counter --database-url URL ARGS…` as a real process; with ``login`` it signs in as
    that account (``--as``, the password on stdin), as a script does; ``more_input`` are
    the lines asked after it (a new password twice)."""
    import subprocess
    import sys

    passwords = {"kanri": ADMIN_PASSWORD, "tanaka": CLERK_PASSWORD}
    acting = ["--as", login] if login else []
    return subprocess.run(
        [sys.executable, "-m", "counter.cli", "--database-url", url, *args, *acting],
        input=(f"{passwords[login]}\n" if login else "") + more_input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COUNTER_PASSWORD_STDIN": "1", **(env or {})},
    )


@pytest.fixture
def real_hashes(monkeypatch):
    """Password hashing at argon2-cffi's recommended cost, for the tests of the hash itself
    (named, since this process's PasswordHasher() is the cheap one: subprocess_site)."""
    from argon2 import PasswordHasher
    from argon2.profiles import get_default_parameters

    from db import staff

    monkeypatch.setattr(staff, "_hasher", PasswordHasher.from_parameters(get_default_parameters()))
    staff._dummy_hash.cache_clear()
    yield
    staff._dummy_hash.cache_clear()
