"""Every page × every role × own or another team's project: nothing leaks.

The table below must name every URL of the project pages (a test checks it against the URL
configuration), so a new page cannot ship without deciding who may see it.
"""

from __future__ import annotations

import itertools

import pytest
from django.urls import get_resolver

from testimonio.web.accounts.actions import do_add_member, do_create_user
from testimonio.web.cases.actions import (
    do_create_person,
    do_create_project,
    do_create_record,
    do_create_source,
)
from testimonio.web.cases.identity import IdentityFields
from testimonio.web.cases.models import VocabularyVersion
from testimonio.web.evidence.actions import do_register_document
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db

ROLES = ["admin", "attorney", "intake", "analyst", "viewer"]
IDENTITY_ROLES = {"admin", "attorney", "intake"}
CANARY = "Canarito"

#: URL name -> (path template, only roles that may see identities, accepts POST).
PROJECT_PAGES = {
    "cases:project_detail": ("/p/{slug}/", False, False),
    "cases:person_detail": ("/p/{slug}/people/{pseudonym}/", False, True),
    "cases:vocabulary": ("/p/{slug}/vocabulary/", False, False),
    "evidence:documents": ("/p/{slug}/documents/", True, True),
    "evidence:download": ("/p/{slug}/documents/{document}/", True, False),
}
OPEN_PAGES = {"cases:project_list", "login", "logout", "two_factor"}


def named_urls() -> set[str]:
    resolver = get_resolver()
    names = {name for name in resolver.reverse_dict if isinstance(name, str)}
    for namespace, (_, sub) in resolver.namespace_dict.items():
        names |= {f"{namespace}:{n}" for n in sub.reverse_dict if isinstance(n, str)}
    return names


def test_the_matrix_covers_every_url() -> None:
    assert named_urls() == set(PROJECT_PAGES) | OPEN_PAGES


@pytest.fixture
def world(vocabulary: VocabularyVersion) -> dict[str, object]:
    """Two teams' projects, one person each (with a canary name), users of every role in ours."""
    projects = {}
    for team in ("ours", "theirs"):
        project = do_create_project(f"{team} project", vocabulary, None, slug=team)
        source = do_create_source(project, "intake", None)
        person = do_create_person(project, None)
        do_create_record(source, None, person=person, identity=IdentityFields(CANARY, team))
        text = f"Declaración de {CANARY}, {team}.".encode()
        document = do_register_document(project, text, "declaration.txt", None, source=source)
        projects[team] = (project, person, document)
    users = {}
    for role in ROLES:
        user, _ = do_create_user(role, None, password="correct horse battery staple")
        do_add_member(projects["ours"][0], user, role, None)
        users[role] = user
    return {"projects": projects, "users": users}


def expected_status(role: str, team: str, page: str, method: str) -> int:
    _, identity_only, accepts_post = PROJECT_PAGES[page]
    if method == "post" and not accepts_post:
        return 405  # refused for any slug, so this reveals nothing
    if team == "theirs":
        return 404  # never 403: another team's project does not exist for you
    if identity_only and role not in IDENTITY_ROLES:
        return 404
    return 200


def reveals_identity(role: str, team: str, page: str, method: str) -> bool:
    shown = (page, method) in {("cases:person_detail", "post"), ("evidence:download", "get")}
    return shown and team == "ours" and role in IDENTITY_ROLES


@pytest.mark.parametrize(("role", "team"), list(itertools.product(ROLES, ["ours", "theirs"])))
def test_each_role_sees_exactly_what_it_may(role: str, team: str, world: dict) -> None:  # type: ignore[type-arg]
    project, person, document = world["projects"][team]
    client = signed_in(world["users"][role])
    for page, method in itertools.product(sorted(PROJECT_PAGES), ["get", "post"]):
        url = PROJECT_PAGES[page][0].format(
            slug=project.slug, pseudonym=person.pseudonym, document=document.uuid
        )
        response = getattr(client, method)(url)
        where = f"{role} {method.upper()} {page} of {team} project"
        assert response.status_code == expected_status(role, team, page, method), where
        body = b"".join(response) if response.streaming else response.content
        revealed = CANARY.encode() in body
        assert revealed == reveals_identity(role, team, page, method), where
