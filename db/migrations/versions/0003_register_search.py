"""register search: substring and prefix indexes that keep every search kind off a scan

Revision ID: 0003
Revises: 0002

Everything here is dialect-specific DDL that SQLModel cannot describe; the names start
with ``ix_search_``, ``resident_fts`` or ``household_fts`` and ``db.models`` tells
autogenerate to leave them alone. The expressions must stay identical to the ones
``db.search`` queries with, or the planner will not use the indexes.

SQLite
  * ``resident_fts`` (FTS5, trigram tokenizer): the kana key and the name without spaces,
    each *without its first character*, so that a phrase match finds the query anywhere
    but at the start (the start is a B-tree range, which comes out already ordered).
    ``household_fts``: the address. rowid = the rowid of the resident / household row;
    triggers keep both in step with every INSERT, UPDATE and DELETE.
  * expression indexes for prefixes: the given-name part of the kana key, the name without
    spaces, the given name, and the two characters around the space (「田太」).
  NOTE: VACUUM may renumber rowids of tables without an INTEGER PRIMARY KEY, and a batch
  migration that recreates ``resident``/``household`` drops their triggers: after either,
  call ``db.search.rebuild_search_index`` (and recreate the triggers in that migration).

PostgreSQL
  * Immutable SQL functions for the same expressions, B-tree indexes on them (and on the
    kana key) with COLLATE "C" so that ``>= / <`` ranges and ORDER BY use them whatever the
    database collation is.
  * ``counter_trigrams(text)``: every three-character substring; GIN indexes on it for the
    kana key tail, the name tail and the address. pg_trgm is not used: it keeps only the
    characters the database's LC_CTYPE calls alphanumeric, so under the C locale (initdb
    --no-locale, the test server, many installations) it indexes no Japanese at all.
    No extension is needed, so nothing has to be installed by a superuser in production.
"""

from db.migrate import run_dialect_ddl

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# --- SQLite ------------------------------------------------------------------------------

SQLITE_NAME_KEY = "replace(replace({t}name, '\u3000', ''), ' ', '')"
SQLITE_GIVEN_KANA = (
    "substr(kana_key, max(1, length(kana_key) - length(replace(replace("
    "substr(kana, instr(kana, '\u3000') + 1), '・', ''), '\u3000', '')) + 1))"
)
SQLITE_GIVEN_NAME = "substr(name, instr(name, '\u3000') + 1)"
SQLITE_BOUNDARY = (
    "CASE WHEN instr(name, '\u3000') > 1 THEN substr(name, instr(name, '\u3000') - 1, 1)"
    " || substr(name, instr(name, '\u3000') + 1, 1) END"
)


def _resident_fts_values(t: str) -> str:
    name_key = SQLITE_NAME_KEY.format(t=t)
    return f"{t}rowid, substr({t}kana_key, 2), substr({name_key}, 2)"


SQLITE_UP = [
    "CREATE VIRTUAL TABLE resident_fts USING fts5(kana_tail, name_tail, tokenize='trigram')",
    "CREATE VIRTUAL TABLE household_fts USING fts5(address, tokenize='trigram')",
    f"INSERT INTO resident_fts(rowid, kana_tail, name_tail) "
    f"SELECT {_resident_fts_values('')} FROM resident",
    "INSERT INTO household_fts(rowid, address) SELECT rowid, address FROM household",
    f"""CREATE TRIGGER resident_search_insert AFTER INSERT ON resident BEGIN
        INSERT INTO resident_fts(rowid, kana_tail, name_tail)
        VALUES ({_resident_fts_values("NEW.")});
    END""",
    """CREATE TRIGGER resident_search_delete AFTER DELETE ON resident BEGIN
        DELETE FROM resident_fts WHERE rowid = OLD.rowid;
    END""",
    f"""CREATE TRIGGER resident_search_update AFTER UPDATE OF kana_key, name ON resident BEGIN
        DELETE FROM resident_fts WHERE rowid = OLD.rowid;
        INSERT INTO resident_fts(rowid, kana_tail, name_tail)
        VALUES ({_resident_fts_values("NEW.")});
    END""",
    """CREATE TRIGGER household_search_insert AFTER INSERT ON household BEGIN
        INSERT INTO household_fts(rowid, address) VALUES (NEW.rowid, NEW.address);
    END""",
    """CREATE TRIGGER household_search_delete AFTER DELETE ON household BEGIN
        DELETE FROM household_fts WHERE rowid = OLD.rowid;
    END""",
    """CREATE TRIGGER household_search_update AFTER UPDATE OF address ON household BEGIN
        DELETE FROM household_fts WHERE rowid = OLD.rowid;
        INSERT INTO household_fts(rowid, address) VALUES (NEW.rowid, NEW.address);
    END""",
    f"CREATE INDEX ix_search_resident_given_kana ON resident "
    f"({SQLITE_GIVEN_KANA}, kana_key, birth_date, id)",
    f"CREATE INDEX ix_search_resident_name_key ON resident "
    f"({SQLITE_NAME_KEY.format(t='')}, kana_key, birth_date, id)",
    f"CREATE INDEX ix_search_resident_given_name ON resident "
    f"({SQLITE_GIVEN_NAME}, kana_key, birth_date, id)",
    f"CREATE INDEX ix_search_resident_name_boundary ON resident "
    f"({SQLITE_BOUNDARY}, kana_key, birth_date, id)",
    "CREATE INDEX ix_search_resident_household ON resident "
    "(household_id, kana_key, birth_date, id)",
]

SQLITE_DOWN = [
    "DROP INDEX IF EXISTS ix_search_resident_household",
    "DROP INDEX IF EXISTS ix_search_resident_name_boundary",
    "DROP INDEX IF EXISTS ix_search_resident_given_name",
    "DROP INDEX IF EXISTS ix_search_resident_name_key",
    "DROP INDEX IF EXISTS ix_search_resident_given_kana",
    "DROP TRIGGER IF EXISTS household_search_update",
    "DROP TRIGGER IF EXISTS household_search_delete",
    "DROP TRIGGER IF EXISTS household_search_insert",
    "DROP TRIGGER IF EXISTS resident_search_update",
    "DROP TRIGGER IF EXISTS resident_search_delete",
    "DROP TRIGGER IF EXISTS resident_search_insert",
    "DROP TABLE IF EXISTS household_fts",
    "DROP TABLE IF EXISTS resident_fts",
]

# --- PostgreSQL --------------------------------------------------------------------------

_FUNCTION = "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
POSTGRES_UP = [
    f"""CREATE FUNCTION counter_trigrams(t text) RETURNS text[] {_FUNCTION} AS $$
        SELECT coalesce(array_agg(DISTINCT substr(t, i, 3)), CAST('{{}}' AS text[]))
        FROM generate_series(1, length(t) - 2) AS i
    $$""",
    f"""CREATE FUNCTION counter_name_key(name text) RETURNS text {_FUNCTION} AS $$
        SELECT replace(replace(name, '\u3000', ''), ' ', '')
    $$""",
    f"""CREATE FUNCTION counter_given_name(name text) RETURNS text {_FUNCTION} AS $$
        SELECT substr(name, strpos(name, '\u3000') + 1)
    $$""",
    f"""CREATE FUNCTION counter_name_boundary(name text) RETURNS text {_FUNCTION} AS $$
        SELECT CASE WHEN strpos(name, '\u3000') > 1
            THEN substr(name, strpos(name, '\u3000') - 1, 1)
                 || substr(name, strpos(name, '\u3000') + 1, 1) END
    $$""",
    f"""CREATE FUNCTION counter_given_kana(kana text, kana_key text) RETURNS text {_FUNCTION}
    AS $$
        SELECT substr(kana_key, greatest(1, length(kana_key) - length(replace(replace(
            substr(kana, strpos(kana, '\u3000') + 1), '・', ''), '\u3000', '')) + 1))
    $$""",
    'CREATE INDEX ix_search_resident_kana ON resident ((kana_key COLLATE "C"), birth_date, id)',
    # INCLUDE: the columns a branch returns and the column under the expression, so that
    # the matches come out of an index-only scan and only they are sorted.
    "CREATE INDEX ix_search_resident_given_kana ON resident "
    '((counter_given_kana(kana, kana_key) COLLATE "C")) INCLUDE (kana, kana_key, birth_date, id)',
    "CREATE INDEX ix_search_resident_name_key ON resident "
    '((counter_name_key(name) COLLATE "C")) INCLUDE (name, kana_key, birth_date, id)',
    "CREATE INDEX ix_search_resident_given_name ON resident "
    '((counter_given_name(name) COLLATE "C")) INCLUDE (name, kana_key, birth_date, id)',
    "CREATE INDEX ix_search_resident_name_boundary ON resident "
    '((counter_name_boundary(name) COLLATE "C")) INCLUDE (name, kana_key, birth_date, id)',
    "CREATE INDEX ix_search_resident_household ON resident "
    "(household_id) INCLUDE (kana_key, birth_date, id)",
    'CREATE INDEX ix_search_household_postal ON household ((postal_code COLLATE "C"))',
    "CREATE INDEX ix_search_resident_kana_grams ON resident "
    "USING gin (counter_trigrams(substr(kana_key, 2)))",
    "CREATE INDEX ix_search_resident_name_grams ON resident "
    "USING gin (counter_trigrams(substr(counter_name_key(name), 2)))",
    "CREATE INDEX ix_search_household_address_grams ON household "
    "USING gin (counter_trigrams(address))",
]

POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_search_resident_household",
    "DROP INDEX IF EXISTS ix_search_household_address_grams",
    "DROP INDEX IF EXISTS ix_search_resident_name_grams",
    "DROP INDEX IF EXISTS ix_search_resident_kana_grams",
    "DROP INDEX IF EXISTS ix_search_household_postal",
    "DROP INDEX IF EXISTS ix_search_resident_name_boundary",
    "DROP INDEX IF EXISTS ix_search_resident_given_name",
    "DROP INDEX IF EXISTS ix_search_resident_name_key",
    "DROP INDEX IF EXISTS ix_search_resident_given_kana",
    "DROP INDEX IF EXISTS ix_search_resident_kana",
    "DROP FUNCTION IF EXISTS counter_given_kana(text, text)",
    "DROP FUNCTION IF EXISTS counter_name_boundary(text)",
    "DROP FUNCTION IF EXISTS counter_given_name(text)",
    "DROP FUNCTION IF EXISTS counter_name_key(text)",
    "DROP FUNCTION IF EXISTS counter_trigrams(text)",
]


def upgrade() -> None:
    run_dialect_ddl({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})


def downgrade() -> None:
    run_dialect_ddl({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})
