"""The layers of docs/architecture.md, proved from the source.

    counter (the rules core)  ←  db, forms  ←  workflows  ←  screens
                                         counter/cli, the composition root, uses them all

The core imports nothing of ours and no UI, SQL or PDF library; workflows never import
Textual; no screen imports another (the visit flow, screens/flow.py, shows the next one);
work that belongs to the workflows (the audit log of what staff saw, the vault, the PDFs)
is not done by a screen.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("counter", "db", "forms", "workflows", "screens")
CLI = ROOT / "counter" / "cli"
ALLOWED = {
    "counter": set(),
    "db": {"counter"},
    "forms": {"counter"},
    "workflows": {"counter", "db", "forms"},
    "screens": {"counter", "db", "forms", "workflows"},
}
# The screens module that shows the next screen, and the app that owns it.
SCREEN_OWNERS = {"screens.flow", "screens.app"}
SCREEN_BASES = {"Screen", "ModalScreen", "CounterScreen", "CounterModal", "VisitStep"}
BASES_MODULE = "screens.base"  # what every screen is built on, not a screen to show
# Modules only the workflows (and the composition root) use: writing what staff saw to
# the audit log, reading the vault, rendering PDFs, searching the register.
WORKFLOW_ONLY = {"db.audit", "db.search", "forms.form_pdf", "forms.slip_pdf"}
# From the vault a screen may name its errors (to say what went wrong), nothing else.
WORKFLOW_ONLY_BUT_ERRORS = {"db.vault"}


def sources(package: str) -> list[Path]:
    return [
        path
        for path in sorted((ROOT / package).rglob("*.py"))
        if not (package == "counter" and path.is_relative_to(CLI))
    ]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names imported from it) for every absolute import, in functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def ours(module: str) -> str | None:
    top = module.split(".")[0]
    if module == "counter.cli" or module.startswith("counter.cli."):
        return "counter.cli"
    return top if top in PACKAGES else None


def test_each_layer_imports_only_the_layers_below_it():
    broken = []
    for package, allowed in ALLOWED.items():
        for path in sources(package):
            used = {ours(module) for module, _ in imports(path)} - {None, package}
            if extra := used - allowed:
                broken.append(f"{path.relative_to(ROOT)} imports {sorted(extra)}")
    assert broken == []


def test_only_the_composition_root_imports_the_command_line():
    importers = [
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in sources(package)
        if any(ours(module) == "counter.cli" for module, _ in imports(path))
    ]
    assert importers == []


def test_the_composition_root_is_one_package_with_a_module_per_command_group():
    modules = sorted(path.stem for path in CLI.glob("*.py"))
    assert {"__init__", "__main__", "common", "signin", "plan", "slip", "payment"} <= set(modules)
    # Nothing of the command line is left among the rules.
    assert sorted(path.name for path in (ROOT / "counter").glob("cli*.py")) == []


def screen_modules() -> set[str]:
    found = set()
    for path in sources("screens"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {
                    base.value.id if isinstance(base, ast.Subscript) else getattr(base, "id", "")
                    for base in node.bases
                    if isinstance(base, ast.Name | ast.Subscript)
                }
                if bases & SCREEN_BASES:
                    found.add(module_name(path))
    return found - {BASES_MODULE}


def test_no_screen_imports_another_screen():
    screens = screen_modules()
    assert {"screens.event", "screens.plan", "screens.done", "screens.search"} <= screens
    broken = []
    for path in sources("screens"):
        name = module_name(path)
        if name in SCREEN_OWNERS:
            continue
        for module, _ in imports(path):
            if module in screens and module != name:
                broken.append(f"{name} imports {module}")
    assert broken == []


def test_screens_leave_the_workflows_work_to_them():
    broken = []
    for path in sources("screens"):
        for module, names in imports(path):
            errors_only = all(name.endswith("Error") for name in names) and names
            if module in WORKFLOW_ONLY or (module in WORKFLOW_ONLY_BUT_ERRORS and not errors_only):
                broken.append(f"{module_name(path)} imports {module} {names}")
    assert broken == []


def the_libraries_loaded_by(packages: tuple[str, ...], skip: set[str] = frozenset()) -> str:
    modules = [
        module_name(path)
        for package in packages
        for path in sources(package)
        if path.name not in ("__init__.py", "__main__.py") and module_name(path) not in skip
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
    return result.stdout.strip()


def test_core_imports_no_ui_sql_or_pdf_library():
    assert the_libraries_loaded_by(("counter",)) == "[]"


def test_workflows_never_load_textual():
    assert "textual" not in the_libraries_loaded_by(("workflows",))
