"""The paper forms the city uses, by name: what catalogue entries may point to.

Each form is listed in ``definitions/forms.toml`` with its title; a form gets its own
definition file (fields and where each value comes from) as it is laid out.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

REGISTRY = Path(__file__).parent / "definitions" / "forms.toml"


def form_names() -> set[str]:
    data = tomllib.loads(REGISTRY.read_text(encoding="utf-8"))
    return {form["name"] for form in data["forms"]}
