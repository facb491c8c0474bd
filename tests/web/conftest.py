"""Fixtures for the Django adapter: the shipped vocabulary, a project, and named people.

Alice-style names from STYLE.md: ``admin`` runs the project, ``attorney`` and
``intake_officer`` may see identities, ``analyst`` sees pseudonyms only, ``outsider`` has no
role in the project and must see nothing of it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.vocab.bundle import bundled_path, read_bundle
from testimonio.web.accounts.actions import do_add_member, do_create_user
from testimonio.web.cases.actions import (
    do_create_person,
    do_create_project,
    do_create_source,
    do_load_vocabulary,
)
from testimonio.web.cases.models import Person, Project, Source, VocabularyVersion


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """Argon2 is slow on purpose; tests create many users. Production keeps Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username: str) -> User:
    user, _ = do_create_user(username, None, password="correct horse battery staple")
    assert isinstance(user, User)
    return user


@pytest.fixture
def vocabulary(db: None) -> VocabularyVersion:
    return do_load_vocabulary(read_bundle(bundled_path()), None).version


@pytest.fixture
def project(vocabulary: VocabularyVersion) -> Project:
    return do_create_project("Turn-backs 2017", vocabulary, None, slug="turnbacks-2017")


@pytest.fixture
def source(project: Project) -> Source:
    return do_create_source(project, "Legal-aid intake log", None, kind="intake_log")


@pytest.fixture
def person(project: Project) -> Person:
    return do_create_person(project, None)


def member(project: Project, username: str, role: str) -> User:
    user = make_user(username)
    do_add_member(project, user, role, None)
    return user


@pytest.fixture
def attorney(project: Project) -> User:
    return member(project, "attorney", "attorney")


@pytest.fixture
def intake_officer(project: Project) -> User:
    return member(project, "intake_officer", "intake")


@pytest.fixture
def analyst(project: Project) -> User:
    return member(project, "analyst", "analyst")


@pytest.fixture
def outsider(db: None) -> User:
    return make_user("outsider")
