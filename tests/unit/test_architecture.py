"""The dependency direction of the design card: screens → forms, db → counter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("counter", "screens", "db", "forms")
ALLOWED = {
    "counter": set(),
    "db": {"counter"},
    "forms": {"counter"},
    "screens": {"counter", "db", "forms"},
}
# The `counter` command is the composition root: it imports everything, lazily.
COMPOSITION_ROOT = {
    ROOT / "counter" / name
    for name in ("cli.py", "cli_payment.py", "cli_staff.py", "cli_audit.py", "cli_purge.py")
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


def test_each_package_imports_only_what_the_design_allows():
    broken = []
    for package, allowed in ALLOWED.items():
        for path in (ROOT / package).rglob("*.py"):
            if path in COMPOSITION_ROOT:
                continue
            extra = imported_packages(path) - allowed - {package}
            if extra:
                broken.append(f"{path.relative_to(ROOT)} imports {sorted(extra)}")
    assert broken == []


def test_core_imports_no_ui_sql_or_pdf_library():
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "counter").rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")  # __main__ runs the program
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "heavy = {'textual', 'sqlalchemy', 'sqlmodel', 'reportlab', 'alembic', 'qrcode'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
