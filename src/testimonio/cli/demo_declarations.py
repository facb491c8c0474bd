"""The demo's declarations: a few of the world's filed declarations read, linked, numbered, coded.

So the demo's evidence packet has an exhibit index, its findings have citations and its
methods appendix has coder agreement, the demo adds the first ``DEMO_DECLARATIONS`` documents
the simulated class counsel wrote, through the actions the web app uses: ``do_add_declaration``
(read and sealed), ``do_link_declaration`` (to the one person the blind index proposes; a
declaration with no single match is left unlinked, as a careful user would), ``do_set_exhibit``
(the number of the simulated exhibit index) and ``do_code_paragraph``: every paragraph the
simulator's truth says tells a tactic is coded with it by a first coder, and a second coder
codes a share of them blind, missing a term now and then, so agreement is measured on
something real. The two coders are demo accounts (``demo-coder-1``, ``demo-coder-2``) with
passwords nobody is shown and no second factor, so they cannot sign in.

Adding the same documents again finds the same declarations (same bytes, same document), so a
second ``testimonio demo`` adds nothing twice.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from testimonio.simulation import WorldSummary
    from testimonio.web.cases.models import Project
    from testimonio.web.declarations.models import Declaration

__all__ = ["DEMO_DECLARATIONS", "DeclarationsAdded", "add_demo_declarations"]

DEMO_DECLARATIONS = 12
CODERS = ("demo-coder-1", "demo-coder-2")
#: Share of the coded paragraphs the second coder reads, and how often they miss a term.
DOUBLE_SHARE, MISS = 0.5, 0.15


@dataclass(frozen=True)
class DeclarationsAdded:
    declarations: int
    exhibits: int
    codings: int


def _coders(project: Project) -> list[User]:
    from django.contrib.auth.models import User

    from testimonio.web.accounts.actions import do_add_member, do_create_user
    from testimonio.web.accounts.models import Membership

    coders = []
    for name in CODERS:
        user = User.objects.filter(username=name).first() or do_create_user(name, None)[0]
        if not Membership.objects.filter(project=project, user=user).exists():
            do_add_member(project, user, "intake", None)
        coders.append(user)
    return coders


def _told(world: WorldSummary) -> dict[str, dict[int, list[str]]]:
    """Exhibit ("Ex. 3") -> paragraph number -> the tactics the simulator wrote into it."""
    told: dict[str, dict[int, list[str]]] = {}
    path = world.out_dir / "truth" / "declaration_paragraphs.csv"
    if not path.is_file():
        return told
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            codes = row["tactics_told"].split()
            if codes:
                told.setdefault(row["record_id"], {})[int(row["paragraph"])] = codes
    return told


def _index(world: WorldSummary) -> list[dict[str, str]]:
    summary = next((s for s in world.sources if s.key == "declarations"), None)
    if summary is None:
        return []
    index = next(path for path in summary.files if path.name == "exhibit_index.csv")
    with index.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["file"]]


def _add(project: Project, path: Path, exhibit: str) -> Declaration:
    from testimonio.web.cases.models import Source
    from testimonio.web.declarations.actions import (
        do_add_declaration,
        do_link_declaration,
        do_set_exhibit,
    )
    from testimonio.web.declarations.models import LinkStatus

    source = Source.objects.filter(project=project, name="declarations").first()
    # A neutral name: a declaration's file name can carry the declarant's name.
    declaration = do_add_declaration(
        project, path.read_bytes(), f"declaration{path.suffix}", None, source=source
    )
    if declaration.link_status == LinkStatus.PROPOSED and declaration.proposed_person:
        do_link_declaration(declaration, declaration.proposed_person, None)
    if declaration.person_id is not None and declaration.exhibit != exhibit:
        do_set_exhibit(declaration, exhibit, None)
    return declaration


def _code(
    declaration: Declaration,
    told: dict[int, list[str]],
    coders: list[User],
    rng: np.random.Generator,
) -> int:
    from testimonio.web.declarations.actions import do_code_paragraph
    from testimonio.web.declarations.models import ParagraphCoding

    if ParagraphCoding.objects.filter(declaration=declaration).exists():
        return 0
    first, second = coders
    made = 0
    for paragraph in declaration.document.paragraphs.order_by("number"):
        codes = told.get(paragraph.number, [])
        double = bool(codes) and rng.random() < DOUBLE_SHARE
        for code in codes:
            do_code_paragraph(paragraph, code, None, None, first)
            made += 1
            if double and rng.random() >= MISS:
                do_code_paragraph(paragraph, code, None, None, second)
                made += 1
    return made


def add_demo_declarations(
    project: Project, world: WorldSummary, count: int = DEMO_DECLARATIONS, seed: int = 0
) -> DeclarationsAdded:
    """Add, link, number and code the first ``count`` declarations of the world."""
    rows = _index(world)[:count]
    if not rows:
        return DeclarationsAdded(0, 0, 0)
    coders = _coders(project)
    told = _told(world)
    rng = np.random.default_rng([seed, 19])
    declarations = exhibits = codings = 0
    for row in rows:
        number = row["exhibit"].removeprefix("Ex. ").strip()
        declaration = _add(project, world.out_dir / row["file"], number)
        declarations += 1
        if declaration.exhibit:
            exhibits += 1
            codings += _code(declaration, told.get(row["exhibit"], {}), coders, rng)
    return DeclarationsAdded(declarations, exhibits, codings)
