"""Fixtures of the publishing tests: a simulated world imported into a project and linked by
its truth (as the snapshot tests build it), and members of every role."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from testimonio.simulation import WorldSummary
from testimonio.web.accounts.actions import do_add_member, do_create_user
from testimonio.web.cases.models import Project
from tests.web.snapshots.world import ImportedWorld, imported_world, simulate

ROLES = ("admin", "attorney", "intake", "analyst", "viewer")


@pytest.fixture(scope="module")
def world_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, WorldSummary]:
    folder = tmp_path_factory.mktemp("world")
    return folder, simulate(folder, people=150)


@pytest.fixture
def world(project: Project, world_files: tuple[Path, WorldSummary]) -> ImportedWorld:
    folder, summary = world_files
    return imported_world(project, folder, summary)


@pytest.fixture
def members(project: Project) -> dict[str, User]:
    """A user of each role in the project, and ``outsider`` with no role in it."""
    users = {}
    for role in (*ROLES, "outsider"):
        user, _ = do_create_user(f"{role}-user", None, password="correct horse battery staple")
        if role != "outsider":
            do_add_member(project, user, role, None)
        users[role] = user
    return users
