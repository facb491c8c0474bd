"""The result of one estimate of the total population, as every method reports it.

A court reads the estimate together with its interval, the model behind it and any warning, so
they travel together: an :class:`EstimateResult` is never a bare number. ``sound`` is False when
the method itself says the figure cannot be trusted (an unbounded maximum-likelihood estimate, a
sampler whose chains disagree); such a result is shown, flagged, never silently used.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["EstimateResult"]


@dataclass(frozen=True)
class EstimateResult:
    """One method's estimate of the total number of people, documented or not."""

    method: str
    observed: int
    estimate: float
    lower: float | None
    upper: float | None
    level: float
    model: str
    interval: str = ""
    diagnostics: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    sound: bool = True

    @property
    def undocumented(self) -> float:
        """Estimated number of people no list documented."""
        return self.estimate - self.observed

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (non-finite numbers become ``None``)."""
        data = asdict(self)
        data["warnings"] = list(self.warnings)
        return {key: _json_ready(value) for key, value in data.items()}


def _json_ready(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    if hasattr(value, "item"):  # numpy scalars
        return _json_ready(value.item())
    return value
