"""Search the register the way a counter does, without scanning it.

One entry point, ``search_register(engine, query, kind=None, limit=50, offset=0)``. The kind
is detected when not given:

* a date (西暦 or 和暦: ``R2.4.1``, ``令和2年4月1日``, ``S50.1.1``, ``2020-04-01``)
  → ``birth_date``, the exact day;
* digits and hyphens (any width, ``〒`` allowed) → ``address`` by postal code: 3 to 7
  digits, a prefix (``683``, ``683-08``, ``６８３０８２３``);
* kana only (hiragana, katakana, half-width, spaces) → ``kana``;
* anything else → ``name`` or ``address`` text.

What matches, per kind (the same on SQLite and PostgreSQL):

* ``kana``: the query's kana key (``counter.textnorm.kana_search_key``: katakana, small
  kana made large, no spaces) starts the reading, or starts the given-name part of it
  (2 characters), or — from 3 characters — occurs anywhere in it (「だたろ」).
  1 character: the reading starts with it.
* ``name``: spaces are ignored on both sides and the name is never normalised (a
  compatibility ideograph is found by itself only). 1–2 characters: the name starts with
  it, or the given name does (2), or the two characters around the space are it
  (「田太」 finds 山田　太郎). From 3 characters: anywhere in the name.
* ``address``: 3 characters or more anywhere in the address; or a postal code, whole or
  a prefix of 3 digits or more.
* ``birth_date``: the day.

Results are residents with their household, ordered by kana (kana key, birth date, id),
one page at a time; ``has_more`` comes from fetching one row more than the page.

How it avoids scans (migration 0003 creates the structures): every kind is a union of
"branches", each of which is an index lookup and ORDER BY ... LIMIT offset+limit+1 on its
own, so a prefix branch (a B-tree range ``key >= q AND key < q'``, where q' is q with its
last character incremented) stops after a page, and substring branches only sort their own
matches. Substrings are searched in the key *without its first character*: a match at the
start is the prefix branch's, so a common surname (マツモト, 2.6 % of the demo register)
is served by the ordered range instead of sorting every 松本. Postal codes and
addresses are searched on the resident's copy of them (migration 0004): few matches are
sorted, many (「683」 is the whole city) are found by walking the kana index in order until
the page is full (see ``_Query.postal`` and ``_Query.address``).

* SQLite: FTS5 tables with the trigram tokenizer (``resident_fts``: kana tail and name tail;
  ``household_fts``: address), kept in step by triggers; expression indexes for the given
  name, the name without spaces and the two characters around the space.
* PostgreSQL: ``counter_trigrams(text) → text[]`` with GIN indexes (``@>`` then an exact
  ``strpos`` recheck), immutable functions for the same expressions with B-tree indexes
  ``COLLATE "C"`` (ranges work whatever the database collation), no extension needed.

The member count of each household is a correlated count on ``resident.household_id``
(indexed), evaluated for the rows of the page only.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from counter.textnorm import is_kana, kana_search_key, normalize_digits
from counter.wareki import DateFormatError, parse_date
from db.register import PAGE_SIZE, HouseholdHit

KINDS = ("kana", "name", "birth_date", "address")
NAME_OR_ADDRESS = "name_or_address"

_Counter = Callable[[str, dict[str, object]], int]
_SPACES = re.compile(r"\s+")
_POSTAL_QUERY = re.compile(r"〒?[0-9]+")
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９－", "0123456789-")


@dataclass(frozen=True)
class SearchPage:
    """One page of results; ``kind`` is the kind searched (detected or given)."""

    hits: list[HouseholdHit]
    has_more: bool
    kind: str = ""


def detect_kind(query: str) -> str:
    """``birth_date``, ``address`` (postal code), ``kana`` or ``name_or_address``."""
    try:
        parse_date(query)
        return "birth_date"
    except DateFormatError:
        pass
    if _POSTAL_QUERY.fullmatch(normalize_digits(query)):
        return "address"
    if is_kana(query):
        return "kana"
    return NAME_OR_ADDRESS


def _successor(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _trigrams(s: str) -> list[str]:
    return sorted({s[i : i + 3] for i in range(len(s) - 2)})


def _fts_phrase(column: str, s: str) -> str:
    """An FTS5 query for ``s`` as a literal substring of ``column`` (trigram tokenizer)."""
    return f'{column} : "{s.replace(chr(34), chr(34) * 2)}"'


class _Sql:
    """The per-dialect expressions; they must match migration 0003 character for character."""

    def __init__(self, dialect: str):
        self.postgres = dialect == "postgresql"
        if self.postgres:
            self.kana_key = 'kana_key COLLATE "C"'
            self.given_kana = 'counter_given_kana(kana, kana_key) COLLATE "C"'
            self.name_key = 'counter_name_key(name) COLLATE "C"'
            self.given_name = 'counter_given_name(name) COLLATE "C"'
            self.boundary = 'counter_name_boundary(name) COLLATE "C"'
            self.resident_postal = 'search_postal_code COLLATE "C"'
            self.household_total = (
                "SELECT CAST(greatest(reltuples, 0) AS bigint) FROM pg_class "
                "WHERE oid = CAST('household' AS regclass)"
            )
        else:
            self.kana_key = "kana_key"
            self.given_kana = (
                "substr(kana_key, max(1, length(kana_key) - length(replace(replace("
                "substr(kana, instr(kana, '\u3000') + 1), '・', ''), '\u3000', '')) + 1))"
            )
            self.name_key = "replace(replace(name, '\u3000', ''), ' ', '')"
            self.given_name = "substr(name, instr(name, '\u3000') + 1)"
            self.boundary = (
                "CASE WHEN instr(name, '\u3000') > 1 THEN "
                "substr(name, instr(name, '\u3000') - 1, 1)"
                " || substr(name, instr(name, '\u3000') + 1, 1) END"
            )
            self.resident_postal = "search_postal_code"
            self.household_total = "SELECT coalesce(max(rowid), 0) FROM household"


class _Query:
    """Collects branches (each: resident rows matching one indexed condition) and params."""

    def __init__(self, dialect: str, window: int, count: _Counter | None = None):
        self.sql = _Sql(dialect)
        self.count = count
        self.window = window
        self.branches: list[str] = []
        self.params: dict[str, object] = {"window": window}

    def param(self, value: object) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def branch(
        self, where: str, *, ordered: bool = False, fenced: bool = True, hint: str = ""
    ) -> None:
        """Residents matching ``where``: (id, kana key, birth date), the first ``window``.

        ``ordered``: the condition is a range on the kana key itself, so the index gives
        the order and the scan stops after a page. Otherwise the matches are fetched
        through their own index (covering: kana key, birth date and id are in it) and
        sorted; the subquery with OFFSET 0 is a fence, without which a planner may
        walk the whole kana index in order filtering row by row, hoping to stop early
        (70 ms for 「山」 on 150,000 residents, whose kana all start with ヤ).
        ``fenced=False`` leaves that choice to the planner where its estimate is good.
        """
        columns = f"id, {self.sql.kana_key} AS k, birth_date AS b"
        n = len(self.branches)
        if ordered or not fenced:
            inner = (
                f"SELECT {columns} FROM resident {hint} WHERE {where} "
                "ORDER BY k, b, id LIMIT :window"
            )
        else:
            fence = "LIMIT -1 OFFSET 0" if not self.sql.postgres else "OFFSET 0"
            inner = (
                f"SELECT id, k, b FROM (SELECT {columns} FROM resident WHERE {where} {fence}) "
                f"AS m{n} ORDER BY k, b, id LIMIT :window"
            )
        self.branches.append(f"SELECT * FROM ({inner}) AS b{n}")

    def prefix(self, expression: str, prefix: str) -> None:
        low, high = self.param(prefix), self.param(_successor(prefix))
        ordered = expression == self.sql.kana_key
        self.branch(f"{expression} >= {low} AND {expression} < {high}", ordered=ordered)

    # --- kinds -----------------------------------------------------------------------

    def kana(self, key: str) -> None:
        if not key:
            return
        self.prefix(self.sql.kana_key, key)
        if len(key) == 2:
            self.prefix(self.sql.given_kana, key)
        if len(key) >= 3:
            self.tail("kana_tail", "substr(kana_key, 2)", key)

    def name(self, part: str) -> None:
        if not part:
            return
        self.prefix(self.sql.name_key, part)
        if len(part) == 2:
            self.prefix(self.sql.given_name, part)
            self.branch(f"{self.sql.boundary} = {self.param(part)}")
        if len(part) >= 3:
            self.tail("name_tail", "substr(counter_name_key(name), 2)", part)

    def tail(self, fts_column: str, postgres_expression: str, s: str) -> None:
        """``s`` occurs in the key after its first character."""
        if self.sql.postgres:
            grams = self.param(_trigrams(s))
            needle = self.param(s)
            # Not fenced: PostgreSQL knows how common each trigram is (element statistics
            # of the GIN column), so it walks the kana index for a common part (「ようこ」,
            # 30,000 of 1,000,000 residents: 1 ms instead of 38 ms sorting them all) and
            # fetches and sorts a rare one.
            self.branch(
                f"counter_trigrams({postgres_expression}) @> CAST({grams} AS text[]) "
                f"AND strpos({postgres_expression}, {needle}) > 0",
                fenced=False,
            )
        else:
            match = self.param(_fts_phrase(fts_column, s))
            self.branch(
                f"rowid IN (SELECT rowid FROM resident_fts WHERE resident_fts MATCH {match})"
            )

    def address(self, part: str) -> None:
        """Residents whose household's address contains ``part`` (3 characters or more).

        The matching households are counted first, at most a threshold. Few: their
        residents through the household index, sorted. Many (「米子市」, a large town):
        the kana index is walked in order, keeping residents by their copy of the address
        (migration 0004), which fills a page after about page / share rows instead of
        sorting them all. Sorting costs about 5 µs per household, the walk about 0.3 µs
        (PostgreSQL, index only) or 1 µs (SQLite) per row it passes: the thresholds are
        where the two meet, sqrt(3 H) and sqrt(17 H) for H households.
        """
        if len(part) < 3:
            return
        needle = self.param(part)
        if self.sql.postgres:
            # The trigrams of the last 8 characters only: they still hold every match (the
            # exact test is strpos), and the start of a full address (鳥取県米子市) is in
            # every household, so its posting lists cost 5 ms to intersect and select nothing.
            grams = self.param(_trigrams(part[-8:]))
            households = (
                f"counter_trigrams(address) @> CAST({grams} AS text[]) "
                f"AND strpos(address, {needle}) > 0"
            )
        else:
            match = self.param(_fts_phrase("address", part))
            fts = f"SELECT rowid FROM household_fts WHERE household_fts MATCH {match}"
            households = f"household.rowid IN ({fts})"
        matching = f"SELECT id FROM household WHERE {households}"
        dense = False
        if self.count is not None:
            total = self.count(self.sql.household_total, {})
            threshold = max(300, math.isqrt((3 if self.sql.postgres else 17) * total))
            probe = f"SELECT count(*) FROM ({matching} LIMIT {threshold}) AS probe"
            dense = self.count(probe, self.params) >= threshold
        if not dense:
            self.branch(f"household_id IN ({matching})")
        elif self.sql.postgres:
            self.branch(f"strpos(search_address, {needle}) > 0", ordered=True)
        else:
            self.branch(
                f"instr(search_address, {needle}) > 0",
                ordered=True,
                hint="INDEXED BY ix_resident_kana_key",
            )

    def postal(self, digits: str) -> None:
        """Residents whose household's postal code is ``digits`` or starts with it, through
        the copy of the code on the resident (migration 0004) and its index (code, kana
        key, birth date, id): a whole code is a range already in kana order. A prefix's
        matches are sorted when few; when many (「683」 is the whole city) the kana index
        is walked in order instead, keeping the matching rows until the page is full.
        PostgreSQL chooses between the two by itself (it keeps statistics of the column);
        SQLite does not, so its matches are counted first, at most a threshold: sorting
        costs about the matches m, the walk about window * N / m rows, even at
        m = sqrt(200 N) with the per-row costs measured here.
        """
        if not 3 <= len(digits) <= 7:
            return
        code = self.sql.resident_postal
        if len(digits) == 7:
            hint = "" if self.sql.postgres else "INDEXED BY ix_search_resident_postal"
            self.branch(f"{code} = {self.param(digits)}", ordered=True, hint=hint)
            return
        low, high = self.param(digits), self.param(_successor(digits))
        where = f"{code} >= {low} AND {code} < {high}"
        if self.sql.postgres:
            self.branch(where, fenced=False)
            return
        dense = False
        if self.count is not None:
            total = self.count("SELECT coalesce(max(rowid), 0) FROM resident", {})
            threshold = max(1000, math.isqrt(200 * total))
            probe = f"SELECT count(*) FROM (SELECT 1 FROM resident WHERE {where} LIMIT {threshold})"
            dense = self.count(probe, self.params) >= threshold
        if dense:
            self.branch(where, ordered=True, hint="INDEXED BY ix_resident_kana_key")
        else:
            self.branch(where)

    def birth_date(self, day: date) -> None:
        value = day if self.sql.postgres else day.isoformat()
        self.branch(f"birth_date = {self.param(value)}")

    # --- the page --------------------------------------------------------------------

    def statement(self, limit: int, offset: int) -> str:
        self.params["limit"] = limit + 1
        self.params["offset"] = offset
        union = " UNION ".join(self.branches)
        # The rest of each row, the address and the member count are looked up by key for
        # the rows of the page only. On PostgreSQL a LATERAL subquery with LIMIT 1, which is
        # never turned into a join (on a small register, a join hashes the whole table).
        if self.sql.postgres:
            resident = (
                "CROSS JOIN LATERAL (SELECT household_id, name, kana FROM resident "
                "WHERE resident.id = page.id LIMIT 1) AS r"
            )
        else:
            resident = "JOIN resident r ON r.id = page.id"
        return (
            "SELECT r.household_id, page.id, r.name, r.kana, page.b, "
            "(SELECT address FROM household h WHERE h.id = r.household_id), "
            "(SELECT count(*) FROM resident m WHERE m.household_id = r.household_id) "
            f"FROM (SELECT * FROM ({union}) AS found ORDER BY k, b, id "
            f"LIMIT :limit OFFSET :offset) AS page {resident} "
            "ORDER BY page.k, page.b, page.id"
        )


def _name_part(query: str) -> str:
    return _SPACES.sub("", query)


def _address_part(query: str) -> str:
    return _SPACES.sub("", query.translate(_WIDE_DIGITS))


def build_search(
    connection: Connection,
    query: str,
    *,
    kind: str | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> tuple[str, str, dict[str, object]] | None:
    """The kind searched, the SQL and its parameters; None when nothing can match.

    ``connection`` gives the dialect, and counts the matches of an address or (SQLite)
    postal-code prefix search, at most a threshold, to choose its plan.

    Raises ValueError for an unknown kind, DateFormatError (a ValueError with a message
    for staff) when kind is ``birth_date`` and the query is not a date.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown search kind: {kind!r} (one of {', '.join(KINDS)})")
    if limit < 1 or offset < 0:
        raise ValueError("limit must be positive and offset not negative")
    query = query.strip()
    if not query:
        return None
    searched = kind or detect_kind(query)

    def count(sql: str, params: dict[str, object]) -> int:
        return connection.execute(text(sql), params).scalar_one()

    q = _Query(connection.dialect.name, offset + limit + 1, count)
    if searched == "birth_date":
        q.birth_date(parse_date(query))
    elif searched == "kana":
        q.kana(kana_search_key(query))
    elif searched == "name":
        q.name(_name_part(query))
    elif searched == "address":
        digits = normalize_digits(query).removeprefix("〒")
        if digits.isascii() and digits.isdigit():
            q.postal(digits)
        else:
            q.address(_address_part(query))
    else:
        q.name(_name_part(query))
        q.address(_address_part(query))
    if not q.branches:
        return None
    return searched, q.statement(limit, offset), q.params


def search_register(
    engine: Engine,
    query: str,
    *,
    kind: str | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> SearchPage:
    """One page of residents matching ``query`` (see the module docstring), by kana.

    Characters no name, kana or address can hold (control characters such as NUL, lone
    surrogates) are left out of the query: the databases refuse them."""
    query = "".join(ch for ch in query if unicodedata.category(ch) not in ("Cc", "Cs"))
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown search kind: {kind!r} (one of {', '.join(KINDS)})")
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # A search reads one page: starting parallel workers costs more (about 5 ms)
            # than it saves, and a plan cached for other values would lose the choice
            # between walking in kana order and sorting the matches.
            connection.exec_driver_sql(
                "SET LOCAL max_parallel_workers_per_gather = 0; "
                "SET LOCAL plan_cache_mode = force_custom_plan"
            )
        built = build_search(connection, query, kind=kind, limit=limit, offset=offset)
        if built is None:
            return SearchPage([], False, kind or "")
        searched, sql, params = built
        rows = connection.execute(text(sql), params).all()
    hits = [
        HouseholdHit(
            household_id=household_id,
            resident_id=resident_id,
            name=name,
            kana=kana,
            birth_date=birth if isinstance(birth, date) else date.fromisoformat(birth),
            address=address,
            member_count=count,
        )
        for household_id, resident_id, name, kana, birth, address, count in rows[:limit]
    ]
    return SearchPage(hits, len(rows) > limit, searched)


def rebuild_search_index(engine: Engine) -> None:
    """SQLite: refill the FTS tables from the register (after VACUUM renumbered rowids,
    or a batch migration recreated ``resident``/``household``). PostgreSQL: nothing to do."""
    if engine.dialect.name != "sqlite":
        return
    sql = _Sql("sqlite")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM resident_fts"))
        connection.execute(text("DELETE FROM household_fts"))
        connection.execute(
            text(
                "INSERT INTO resident_fts(rowid, kana_tail, name_tail) "
                f"SELECT rowid, substr(kana_key, 2), substr({sql.name_key}, 2) FROM resident"
            )
        )
        connection.execute(
            text("INSERT INTO household_fts(rowid, address) SELECT rowid, address FROM household")
        )
