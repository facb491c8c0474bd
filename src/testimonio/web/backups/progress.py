"""How long work reports its progress without knowing about terminals (the CLI draws bars)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Called with a step's description, the units done so far and the total (0: unknown)."""

    def __call__(self, step: str, done: int, total: int) -> None: ...


def no_progress(step: str, done: int, total: int) -> None:
    """A :class:`Progress` that shows nothing (tests, scripts)."""
