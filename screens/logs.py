"""The technical log: details for administrators, never shown on the counter screen.

Staff see one Japanese sentence; the traceback goes to ``counter.log`` in the data
directory. Nothing personal is written here: only what failed and why.
"""

from __future__ import annotations

import logging
from functools import cache

from db.paths import data_dir

LOGGER = "counter"


@cache
def _logger() -> logging.Logger:
    logger = logging.getLogger(LOGGER)
    path = data_dir() / "counter.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


def log_failure(action: str, error: BaseException | None) -> None:
    _logger().error(
        "%s に失敗しました",
        action,
        exc_info=(type(error), error, error.__traceback__) if error else None,
    )
