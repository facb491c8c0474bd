"""Words for figure ids and codes, in English and Spanish, shared by the packet and the report.

Tactic labels come from the snapshot's codings (the controlled vocabulary's own labels), so
a report never invents a name for a code; a code without a label is shown as the code.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["FIGURE_LABELS", "TacticLabels", "figure_label", "percent", "tactic_labels"]

FIGURE_LABELS: dict[str, dict[str, str]] = {
    "persons_turned_away": {
        "en": "Persons turned away at least once",
        "es": "Personas rechazadas al menos una vez",
    },
    "persons_turned_away_repeatedly": {
        "en": "Persons turned away two or more times",
        "es": "Personas rechazadas dos o más veces",
    },
    "persons_fear_expressed_then_turned_away": {
        "en": "Persons turned away after saying they feared return",
        "es": "Personas rechazadas después de expresar miedo de regresar",
    },
    "encounters_turned_away": {
        "en": "Attempts that ended in a turn-back",
        "es": "Intentos que terminaron en rechazo",
    },
}

#: tactic code -> {"en": label, "es": label}
TacticLabels = Mapping[str, Mapping[str, str]]


def tactic_labels(rows: list[tuple[str, str | None, str | None]]) -> dict[str, dict[str, str]]:
    """(code, label_en, label_es) rows -> labels by code; the first non-empty label wins."""
    labels: dict[str, dict[str, str]] = {}
    for code, english, spanish in sorted(rows, key=lambda row: row[0]):
        found = labels.setdefault(code, {})
        found.setdefault("en", english or code)
        found.setdefault("es", spanish or english or code)
    return labels


def figure_label(figure_id: str, tactics: TacticLabels, language: str = "en") -> str:
    if figure_id.startswith("tactic:"):
        code = figure_id.removeprefix("tactic:")
        prefix = "Táctica" if language == "es" else "Tactic"
        return f"{prefix}: {tactics.get(code, {}).get(language, code)}"
    return FIGURE_LABELS.get(figure_id, {}).get(language, figure_id)


def percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"
