"""Generate a whole synthetic world on disk: every source's files plus ``truth/``.

``generate_world(SimulationConfig(people=5000, sources=4, seed=7), Path("world"))`` is what
``testimonio simulate`` and ``testimonio demo`` call. What must always hold: the same config
gives the same files (CSV byte for byte; XLSX and DOCX with frozen zip timestamps; PDF with a
fixed creation date), and nothing here touches the network or a database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from testimonio.errors import InputError
from testimonio.simulation.config import SimulationConfig, SourceSpec
from testimonio.simulation.draw import DrawnWorld, ProgressCallback, draw_world
from testimonio.simulation.sources.common import SourceOutput
from testimonio.simulation.sources.declarations import write_declarations
from testimonio.simulation.sources.kobo import write_kobo
from testimonio.simulation.sources.legal_aid import write_legal_aid
from testimonio.simulation.sources.partner import write_partner
from testimonio.simulation.truth import write_truth

SourceWriter = Callable[[DrawnWorld, int, SourceSpec, Path, ProgressCallback | None], SourceOutput]
WRITERS: dict[str, SourceWriter] = {
    "legal_aid": write_legal_aid,
    "kobo": write_kobo,
    "partner": write_partner,
    "declarations": write_declarations,
}


@dataclass(frozen=True)
class SourceSummary:
    key: str
    organization: str
    records: int
    people: int
    files: tuple[Path, ...]


@dataclass(frozen=True)
class WorldSummary:
    """What was generated and where; :meth:`describe` says it in a few lines."""

    out_dir: Path
    seed: int
    people: int
    family_units: int
    encounters: int
    ever_turned_away: int
    documented_people: int
    sources: tuple[SourceSummary, ...]
    truth_files: tuple[Path, ...] = field(default=())

    def describe(self) -> str:
        lines = [
            f"Synthetic world (seed {self.seed}) in {self.out_dir}:",
            f"  {self.people:,} people in {self.family_units:,} family units, "
            f"{self.encounters:,} attempts at ports; {self.ever_turned_away:,} ever turned away, "
            f"{self.documented_people:,} on at least one list.",
        ]
        for source in self.sources:
            files = ", ".join(str(path.relative_to(self.out_dir)) for path in source.files[:2])
            more = f" (+{len(source.files) - 2} more)" if len(source.files) > 2 else ""
            lines.append(
                f"  {source.key}: {source.records:,} records of {source.people:,} people "
                f"-> {files}{more}"
            )
        lines.append(f"  truth: {self.out_dir / 'truth'} (true person of every record, true N)")
        return "\n".join(lines)


def generate_world(
    config: SimulationConfig, out_dir: Path, progress: ProgressCallback | None = None
) -> WorldSummary:
    """Draw the world, write each source and the truth, and summarise what was written."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("the output path exists and is not a folder", file=str(out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    world = draw_world(config, progress)
    outputs = [
        WRITERS[spec.kind](world, column, spec, out_dir, progress)
        for column, spec in enumerate(config.active_sources)
    ]
    if progress is not None:
        progress("Writing truth", 0, 1)
    truth_files = write_truth(world, outputs, out_dir)
    if progress is not None:
        progress("Writing truth", 1, 1)
    return WorldSummary(
        out_dir=out_dir,
        seed=config.seed,
        people=len(world.population),
        family_units=len(world.population.units),
        encounters=len(world.encounters),
        ever_turned_away=int(world.ever_turned_away.sum()),
        documented_people=int(world.captured.any(axis=1).sum()),
        sources=tuple(
            SourceSummary(
                output.key,
                output.organization,
                len(output.records),
                int(world.captured[:, column].sum()),
                tuple(output.files),
            )
            for column, output in enumerate(outputs)
        ),
        truth_files=tuple(truth_files),
    )
