"""Small-cell suppression for a release of count tables, provable by an independent audit.

``suppress_release(tables, threshold)`` hides every cell under the threshold (primary),
chooses the cheapest further cells to hide (complementary, an integer program solved with
HiGHS) so that no hidden small cell can be worked out from the margins, the other tables of
the release or earlier releases, audits the pattern with the reader's linear programs and
refuses it (:class:`SuppressionError`) if the audit fails. The rule is in :mod:`.rules` and
docs/methods.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from testimonio.reporting.suppression.audit import AuditReport, audit_pattern, require_safe
from testimonio.reporting.suppression.complementary import Pattern, complementary_suppression
from testimonio.reporting.suppression.problem import (
    EarlierTable,
    ReleaseProblem,
    SuppressionError,
    build_problem,
)
from testimonio.reporting.suppression.rules import Protection
from testimonio.reporting.suppression.tables import (
    TOTAL,
    CellKey,
    Constraint,
    Dimension,
    Table,
    cell_key,
    linear_constraints,
)
from testimonio.reporting.suppression.tidy import column_names, tidy_rows

__all__ = [
    "AuditReport",
    "CellKey",
    "Constraint",
    "Dimension",
    "EarlierTable",
    "Protection",
    "SuppressedRelease",
    "SuppressionError",
    "TOTAL",
    "Table",
    "audit_pattern",
    "build_problem",
    "cell_key",
    "column_names",
    "linear_constraints",
    "suppress_release",
    "tidy_rows",
]


@dataclass(frozen=True)
class SuppressedRelease:
    """A release ready to publish: its tables, which cells are hidden and why, the audit."""

    tables: tuple[Table, ...]
    problem: ReleaseProblem
    pattern: Pattern
    audit: AuditReport
    status: dict[CellKey, str]

    def rows(self, table: Table) -> list[dict[str, str]]:
        """The tidy CSV rows of one of the release's tables."""
        return tidy_rows(table, self.status)

    @property
    def already_disclosed(self) -> list[Protection]:
        """Requirements that earlier releases had already given away (nothing to hide now)."""
        return self.problem.already_disclosed


def suppress_release(
    tables: Sequence[Table], threshold: int, earlier: Sequence[EarlierTable] = ()
) -> SuppressedRelease:
    """Suppress, audit and (only if the audit passes) return the release's pattern."""
    problem = build_problem(tables, threshold, earlier)
    pattern = complementary_suppression(problem)
    report = audit_pattern(problem, pattern.suppressed, pattern.witnesses)
    require_safe(report)
    primary = {
        protection.cells[0]
        for protection in problem.protections
        if protection.reason == "small cell"
    }
    status = {
        key: "primary" if key in primary else "complementary"
        for key, hidden, current in zip(
            problem.keys, pattern.suppressed, problem.current, strict=True
        )
        if hidden and current
    }
    return SuppressedRelease(tuple(tables), problem, pattern, report, status)
