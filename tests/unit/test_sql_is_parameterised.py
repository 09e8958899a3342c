"""SQL is always parameterised: no value is ever formatted into a statement.

Every call of ``text(...)``, ``.execute(...)`` and ``exec_driver_sql(...)`` under counter/,
db/, screens/ and forms/ is read with ``ast``. Its SQL argument may not be an f-string, a
``%`` format, a ``.format()`` call or a concatenation with anything but constants; a
variable holding such a string in the same function counts as well. The few places that
build statements from identifiers and expressions of their own (never from input) are
listed below with their reason.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("counter", "db", "screens", "forms")
SQL_CALLS = {"text", "execute", "exec_driver_sql"}

# (file, function) → why formatting there is safe. Values still go in as bound parameters.
ALLOWED = {
    ("db/search.py", "rebuild_search_index"): (
        "the FTS refill names the name-key expression of migration 0003 (a constant of "
        "db.search._Sql); nothing from a query or the register is formatted in"
    ),
    ("db/engine.py", "_sqlite_pragmas"): (
        "PRAGMA takes no bound parameter; the busy timeout formatted in is an int in ms "
        "computed by db.engine.busy_seconds"
    ),
    ("db/outreach_unlock.py", "unlock"): (
        "PRAGMA key takes no bound parameter; the key formatted in is x'…' of the 64 hex "
        "digits db.outreach_unlock.raw_key derived, never text anyone typed"
    ),
    ("db/migrate.py", "_drop_empty_schema"): (
        "repairing a half-built schema names the tables, triggers and views SQLite lists in "
        "sqlite_master of that same database, quoted; no value of a row is formatted in"
    ),
}


def is_formatted(node: ast.expr) -> bool:
    """An f-string with a value in it, a ``%`` format, a ``.format()`` call, or a ``+``
    with anything that is not a constant string."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return not (is_constant(node.left) and is_constant(node.right))
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def is_constant(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return not is_formatted(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return is_constant(node.left) and is_constant(node.right)
    return False


def assigned_values(scope: ast.AST, name: str) -> Iterator[ast.expr]:
    """What the variable ``name`` is set to in ``scope`` (``=``, ``+=``, annotated)."""
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                yield node.value
            continue
        if not isinstance(node, ast.AugAssign | ast.AnnAssign) or node.value is None:
            continue
        if isinstance(node.target, ast.Name) and node.target.id == name:
            if isinstance(node, ast.AugAssign):  # sql += name is sql = sql + name
                yield ast.BinOp(left=node.target, op=node.op, right=node.value)
            else:
                yield node.value


def called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def formatted_sql(source: str) -> Iterator[tuple[str, int, str]]:
    """(function, line, SQL argument) of every SQL call whose SQL is formatted."""
    tree = ast.parse(source)
    scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    enclosing: dict[ast.AST, ast.AST] = {}
    for scope in [tree, *scopes]:  # inner functions come later and win
        for node in ast.walk(scope):
            enclosing[node] = scope
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and called_name(node) in SQL_CALLS and node.args):
            continue
        scope = enclosing[node]
        sql = node.args[0]
        candidates = [sql]
        if isinstance(sql, ast.Name):
            candidates += assigned_values(scope, sql.id)
        if any(is_formatted(candidate) for candidate in candidates):
            function = getattr(scope, "name", "<module>")
            yield function, node.lineno, ast.unparse(sql)


def scanned_files() -> list[Path]:
    return sorted(path for folder in FOLDERS for path in (ROOT / folder).rglob("*.py"))


def test_no_statement_is_formatted_outside_the_listed_places():
    found: dict[tuple[str, str], list[str]] = {}
    for path in scanned_files():
        relative = path.relative_to(ROOT).as_posix()
        for function, line, sql in formatted_sql(path.read_text(encoding="utf-8")):
            found.setdefault((relative, function), []).append(f"{relative}:{line}: {sql}")
    unexpected = [where for key, places in found.items() if key not in ALLOWED for where in places]
    assert unexpected == []
    stale = [key for key in ALLOWED if key not in found]
    assert stale == [], "allowed but no longer formatted: remove from ALLOWED"


def test_the_scan_covers_every_package():
    files = scanned_files()
    assert {path.relative_to(ROOT).parts[0] for path in files} == set(FOLDERS)
    assert ROOT / "db" / "search.py" in files
    assert any("migrations" in path.parts for path in files)


def test_the_checker_finds_each_kind_of_formatting():
    bad = """
def search(connection, name, table):
    connection.execute(text(f"SELECT * FROM resident WHERE name = '{name}'"))
    connection.execute("SELECT * FROM resident WHERE name = '%s'" % name)
    connection.exec_driver_sql("DELETE FROM {}".format(table))
    connection.execute(text("SELECT * FROM resident WHERE name = '" + name + "'"))
    sql = f"SELECT * FROM {table}"
    connection.execute(text(sql))
    query = "SELECT 1"
    query += name
    connection.execute(text(query))
"""
    assert sorted(line for _, line, _ in formatted_sql(bad)) == [3, 4, 5, 6, 8, 11]


def test_the_checker_lets_bound_parameters_and_constants_through():
    good = """
def search(connection, name):
    connection.execute(text("SELECT * FROM resident WHERE name = :name"), {"name": name})
    connection.execute(text("SELECT 1 " "FROM resident"))
    connection.execute(text("SELECT * " + "FROM resident"))
    connection.execute(select(ResidentRow).where(ResidentRow.name == name))
    sql = "SELECT * FROM resident WHERE id = :id"
    connection.execute(text(sql), {"id": name})
    print(f"{name}: {len(name)}")
"""
    assert list(formatted_sql(good)) == []
