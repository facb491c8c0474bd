"""Every page × every role × own or another team's project: nothing leaks.

The table below must name every URL of the project pages (a test checks it against the URL
configuration), so a new page cannot ship without deciding who may see it.
"""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import get_resolver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimonio.web.accounts.actions import do_add_member, do_create_user
from testimonio.web.cases.actions import (
    do_create_person,
    do_create_project,
    do_create_record,
    do_create_source,
)
from testimonio.web.cases.identity import IdentityFields
from testimonio.web.cases.models import VocabularyVersion

pytestmark = pytest.mark.django_db

ROLES = ["admin", "attorney", "intake", "analyst", "viewer"]
IDENTITY_ROLES = {"admin", "attorney", "intake"}
CANARY = "Canarito"

#: URL name -> path template ({slug}, {pseudonym}); all require membership of the project.
PROJECT_PAGES = {
    "cases:project_detail": "/p/{slug}/",
    "cases:person_detail": "/p/{slug}/people/{pseudonym}/",
    "cases:vocabulary": "/p/{slug}/vocabulary/",
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
        projects[team] = (project, person)
    users = {}
    for role in ROLES:
        user, _ = do_create_user(role, None, password="correct horse battery staple")
        do_add_member(projects["ours"][0], user, role, None)
        users[role] = user
    return {"projects": projects, "users": users}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def expected_status(team: str, page: str, method: str) -> int:
    if method == "post" and page != "cases:person_detail":
        return 405  # read-only pages refuse POST for any slug, so this reveals nothing
    if team == "theirs":
        return 404  # never 403: another team's project does not exist for you
    return 200


@pytest.mark.parametrize(("role", "team"), list(itertools.product(ROLES, ["ours", "theirs"])))
def test_each_role_sees_exactly_what_it_may(role: str, team: str, world: dict) -> None:  # type: ignore[type-arg]
    project, person = world["projects"][team]
    client = client_for(world["users"][role])
    for page, method in itertools.product(sorted(PROJECT_PAGES), ["get", "post"]):
        url = PROJECT_PAGES[page].format(slug=project.slug, pseudonym=person.pseudonym)
        response = getattr(client, method)(url)
        where = f"{role} {method.upper()} {page} of {team} project"
        assert response.status_code == expected_status(team, page, method), where
        reveal = team == "ours" and method == "post" and page == "cases:person_detail"
        assert (CANARY in response.content.decode()) == (reveal and role in IDENTITY_ROLES), where
