"""What every screen of the counter has, so the app talks to its screens through types
and not by probing them (``hasattr``).

- ``app`` is the CounterApp (for the type checker: Textual types it as any App).
- The app calls ``database_preparing``, ``database_opened`` and ``accounts_known`` on every
  screen in the stack while the database is prepared; a screen overrides those it needs.
- A ``VisitStep`` is a screen of a visit in progress: F12 parks it, a sign-out saves it,
  and each holds what the visit's draft needs (``visit_draft``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import ModalScreen, Screen
from textual.worker import Worker

if TYPE_CHECKING:
    from screens.app import CounterApp

ResultT = TypeVar("ResultT")
T = TypeVar("T")


def worker_result(worker: Worker[Any], kind: type[T]) -> T:
    """What a finished worker returned, as the type its screen expects (Textual types a
    result as ``Any | None``: it is None while the worker runs)."""
    result = worker.result
    if not isinstance(result, kind):
        raise TypeError(f"{worker.name}: {type(result).__name__}, not {kind.__name__}")
    return result


class CounterScreen(Screen):
    if TYPE_CHECKING:

        @property
        def app(self) -> CounterApp: ...  # type: ignore[override]

    def database_preparing(self, progress: str) -> None:
        """How far preparing the database has got (the first start seeds the register)."""

    def database_opened(self) -> None:
        """The database is open: a screen that waited for it goes on."""

    def accounts_known(self, any_staff: bool) -> None:
        """Whether any staff account exists (known before the demo register is seeded)."""


class CounterModal(ModalScreen[ResultT]):
    """A dialog over a screen of the counter (``app`` typed as for CounterScreen)."""

    if TYPE_CHECKING:

        @property
        def app(self) -> CounterApp: ...  # type: ignore[override]


class VisitStep(CounterScreen):
    """A screen of a visit in progress."""

    def visit_draft(self) -> dict[str, Any]:
        """What this step saves: enough to open the visit again at this step."""
        raise NotImplementedError
