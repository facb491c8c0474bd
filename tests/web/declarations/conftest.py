"""The simulator's declarations (tests/declarations' world), a coder and declarations added."""

from __future__ import annotations

import pytest

from testimonio.web.cases.models import Project
from testimonio.web.declarations.actions import do_add_declaration
from testimonio.web.declarations.coding_model import defer_trainings, forget_models
from testimonio.web.declarations.models import Declaration
from tests.declarations.conftest import SimulatedDeclaration, SimulatedWorld, world

__all__ = ["world"]


def add(project: Project, simulated: SimulatedDeclaration) -> Declaration:
    return do_add_declaration(
        project, simulated.path.read_bytes(), f"upload.{simulated.format}", None
    )


@pytest.fixture
def docx_declaration(
    project: Project, world: SimulatedWorld
) -> tuple[Declaration, SimulatedDeclaration]:
    simulated = world.of_format("docx")[0]
    return add(project, simulated), simulated


@pytest.fixture
def pdf_declaration(
    project: Project, world: SimulatedWorld
) -> tuple[Declaration, SimulatedDeclaration]:
    simulated = world.of_format("pdf")[0]
    return add(project, simulated), simulated


@pytest.fixture(autouse=True)
def no_model_from_another_test() -> None:
    """Suggestion models live in the process's memory, keyed by project id, which the test
    database reuses: each test starts with none. A training waits for
    ``run_deferred_trainings()`` (on the test's thread, which sees the test's data) instead of
    starting a thread."""
    forget_models()
    defer_trainings()
