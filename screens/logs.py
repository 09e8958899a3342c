"""The technical log: details for administrators, never shown on the counter screen.

Staff see one Japanese sentence; the traceback goes to ``counter.log`` in the data
directory. Nothing personal is written here: only what failed and why. An individual
number must never reach the file even inside an exception's text, so every line, the
traceback included, passes through ``counter.mynumber.redact`` on its way out.
"""

from __future__ import annotations

import logging
from functools import cache

from counter.mynumber import redact
from db.paths import data_dir

LOGGER = "counter"


class RedactingFormatter(logging.Formatter):
    """The usual line and traceback, with any 12-digit run replaced by 「［個人番号］」."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


@cache
def _logger() -> logging.Logger:
    logger = logging.getLogger(LOGGER)
    path = data_dir() / "counter.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


def log_failure(action: str, error: BaseException | None) -> None:
    _logger().error(
        "%s に失敗しました",
        action,
        exc_info=(type(error), error, error.__traceback__) if error else None,
    )
