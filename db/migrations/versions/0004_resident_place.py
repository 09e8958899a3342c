"""resident place: a copy of the household's postal code and address on each resident

Revision ID: 0004
Revises: 0003

Postal code and address are how a counter finds a household it cannot spell. Through the
household table such a search costs in proportion to the households that match (3,000 for
one postal code of a city of 1,000,000, 6,600 for a town like 観音寺), each looked up and
its residents sorted. With the place on the resident row:

* a 7-digit postal code is an ordered range of the index (code, kana key, birth date, id)
  that stops after a page; a prefix's matches come out of the same index alone;
* when many residents match (「683」, a large town), the kana index is walked in order and
  the rows are kept by their own code or address, until the page is full. On PostgreSQL
  the kana index carries both columns (INCLUDE), so that walk never touches the table.

``resident.search_postal_code`` and ``resident.search_address`` are owned by the database,
not the program: they have no model field (``db.migrate.include_object`` skips
``search_`` columns), and triggers copy the household's values on every resident INSERT,
every change of a resident's household and every change of a household's code or address.
"""

from db.migrate import run_dialect_ddl

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


_BACKFILL = (
    "UPDATE resident SET search_postal_code = h.postal_code, search_address = h.address "
    "FROM household AS h WHERE h.id = resident.household_id"
)
_SQLITE_COPY = (
    "UPDATE resident SET search_postal_code = coalesce((SELECT postal_code FROM household "
    "WHERE household.id = NEW.household_id), ''), search_address = coalesce((SELECT address "
    "FROM household WHERE household.id = NEW.household_id), '') WHERE rowid = NEW.rowid;"
)
SQLITE_UP = [
    "ALTER TABLE resident ADD COLUMN search_postal_code TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE resident ADD COLUMN search_address TEXT NOT NULL DEFAULT ''",
    _BACKFILL,
    f"CREATE TRIGGER resident_place_insert AFTER INSERT ON resident BEGIN {_SQLITE_COPY} END",
    "CREATE TRIGGER resident_place_move AFTER UPDATE OF household_id ON resident "
    f"BEGIN {_SQLITE_COPY} END",
    """CREATE TRIGGER household_place_update AFTER UPDATE OF postal_code, address ON household
    BEGIN
        UPDATE resident SET search_postal_code = NEW.postal_code, search_address = NEW.address
        WHERE household_id = NEW.id;
    END""",
    "CREATE INDEX ix_search_resident_postal ON resident "
    "(search_postal_code, kana_key, birth_date, id)",
]
SQLITE_DOWN = [
    "DROP INDEX IF EXISTS ix_search_resident_postal",
    "DROP TRIGGER IF EXISTS household_place_update",
    "DROP TRIGGER IF EXISTS resident_place_move",
    "DROP TRIGGER IF EXISTS resident_place_insert",
    "ALTER TABLE resident DROP COLUMN search_address",
    "ALTER TABLE resident DROP COLUMN search_postal_code",
]

_KANA_INDEX = (
    'CREATE INDEX ix_search_resident_kana ON resident ((kana_key COLLATE "C"), birth_date, id)'
)
POSTGRES_UP = [
    "ALTER TABLE resident ADD COLUMN search_postal_code text NOT NULL DEFAULT '', "
    "ADD COLUMN search_address text NOT NULL DEFAULT ''",
    _BACKFILL,
    """CREATE FUNCTION counter_resident_place() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT postal_code, address INTO NEW.search_postal_code, NEW.search_address
        FROM household WHERE household.id = NEW.household_id;
        NEW.search_postal_code := coalesce(NEW.search_postal_code, '');
        NEW.search_address := coalesce(NEW.search_address, '');
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER resident_place BEFORE INSERT OR UPDATE OF household_id ON resident "
    "FOR EACH ROW EXECUTE FUNCTION counter_resident_place()",
    """CREATE FUNCTION counter_household_place() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE resident SET search_postal_code = NEW.postal_code, search_address = NEW.address
        WHERE household_id = NEW.id;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER household_place AFTER UPDATE OF postal_code, address ON household "
    "FOR EACH ROW WHEN (OLD.postal_code IS DISTINCT FROM NEW.postal_code "
    "OR OLD.address IS DISTINCT FROM NEW.address) "
    "EXECUTE FUNCTION counter_household_place()",
    "CREATE INDEX ix_search_resident_postal ON resident "
    '((search_postal_code COLLATE "C"), (kana_key COLLATE "C"), birth_date, id)',
    "DROP INDEX ix_search_resident_kana",
    f"{_KANA_INDEX} INCLUDE (search_postal_code, search_address)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_search_resident_kana",
    _KANA_INDEX,
    "DROP INDEX IF EXISTS ix_search_resident_postal",
    "DROP TRIGGER IF EXISTS household_place ON household",
    "DROP FUNCTION IF EXISTS counter_household_place()",
    "DROP TRIGGER IF EXISTS resident_place ON resident",
    "DROP FUNCTION IF EXISTS counter_resident_place()",
    "ALTER TABLE resident DROP COLUMN search_address, DROP COLUMN search_postal_code",
]


def upgrade() -> None:
    run_dialect_ddl({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})


def downgrade() -> None:
    run_dialect_ddl({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})
