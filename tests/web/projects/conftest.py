"""Named people of the setup tests: ``admin`` runs the project, ``operator`` runs the instance."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.web.cases.models import Project, VocabularyVersion
from tests.web.conftest import make_user, member


@pytest.fixture
def admin(project: Project) -> User:
    return member(project, "admin", "admin")


@pytest.fixture
def operator(db: None) -> User:
    """An instance administrator (``users add --superuser`` makes staff and superuser)."""
    user = make_user("operator")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def other_vocabulary(db: None) -> VocabularyVersion:
    """A second vocabulary version to switch to (no terms needed for the setting itself)."""
    return VocabularyVersion.objects.create(
        name="other", number=1, title="Another vocabulary", checksum="0" * 64
    )
