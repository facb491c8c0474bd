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
from testimonio.web.cases.models import VocabularyVersion
from testimonio.web.evidence.actions import do_register_document
from testimonio.web.imports.actions import do_create_import_draft
from testimonio.web.keys.identity import IdentityFields
from testimonio.web.linking.models import LinkRun, ReviewPair
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db

ROLES = ["admin", "attorney", "intake", "analyst", "viewer"]
IDENTITY_ROLES = {"admin", "attorney", "intake"}
ANALYSIS_ROLES = {"admin", "attorney", "analyst"}
EVERY_ROLE = set(ROLES)
EXPORT_ROLES = {"admin", "attorney", "intake", "analyst"}
CANARY = "Canarito"

#: URL name -> (path template, roles that may open it, accepts POST).
PROJECT_PAGES = {
    "cases:project_detail": ("/p/{slug}/", EVERY_ROLE, False),
    "cases:person_detail": ("/p/{slug}/people/{pseudonym}/", EVERY_ROLE, True),
    "cases:vocabulary": ("/p/{slug}/vocabulary/", EVERY_ROLE, False),
    "evidence:documents": ("/p/{slug}/documents/", IDENTITY_ROLES, True),
    "evidence:download": ("/p/{slug}/documents/{document}/", IDENTITY_ROLES, False),
    "cases:export": ("/p/{slug}/export/", EXPORT_ROLES, True),  # a bare POST: pseudonymous
    "cases:imports": ("/p/{slug}/imports/", IDENTITY_ROLES, True),
    "cases:import_preview": ("/p/{slug}/imports/{draft}/", IDENTITY_ROLES, True),
    "cases:import_mapping": ("/p/{slug}/imports/{draft}/mapping/", IDENTITY_ROLES, True),
    "cases:import_profile": ("/p/{slug}/imports/{draft}/mapping.yaml", IDENTITY_ROLES, False),
    "cases:import_validation": ("/p/{slug}/imports/{draft}/validation/", IDENTITY_ROLES, True),
    "cases:import_report": ("/p/{slug}/imports/{draft}/report.xlsx", IDENTITY_ROLES, False),
    "analyses:linkage": ("/p/{slug}/linkage/", ANALYSIS_ROLES, True),
    "analyses:review_queue": ("/p/{slug}/linkage/review/", ANALYSIS_ROLES, False),
    "analyses:review_pair": ("/p/{slug}/linkage/review/{pair}/", ANALYSIS_ROLES, True),
    "accounts:members": ("/p/{slug}/members/", {"admin"}, True),  # a bare POST invites no one
}
#: Pages that show identity values (to the roles that may open them and may see identities).
REVEALING = {
    ("cases:person_detail", "post"),
    ("evidence:download", "get"),
    ("cases:import_preview", "get"),  # an upload's first rows
    ("cases:import_preview", "post"),  # a POST without a sheet shows them again
    ("analyses:review_pair", "get"),
    ("analyses:review_pair", "post"),  # a POST without a decision shows the pair again
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
    """Two teams' projects, one person each (with a canary name) and a pair queued for review,
    users of every role in ours."""
    projects = {}
    for team in ("ours", "theirs"):
        project = do_create_project(f"{team} project", vocabulary, None, slug=team)
        source = do_create_source(project, "intake", None)
        person = do_create_person(project, None)
        record = do_create_record(
            source, None, person=person, identity=IdentityFields(CANARY, team)
        )
        text = f"Declaración de {CANARY}, {team}.".encode()
        document = do_register_document(project, text, "declaration.txt", None, source=source)
        other = do_create_record(source, None, person=do_create_person(project, None))
        run = LinkRun.objects.create(project=project, input_hash="0" * 64, threshold=0.9)
        pair = ReviewPair.objects.create(
            link_run=run, record_a=record, record_b=other, match_probability=0.7
        )
        upload = f"id,nombre,garita\nA-1,{CANARY},2504-SYS\nA-2,Luis,9999-NOPE\n".encode()
        draft = do_create_import_draft(
            project, upload, "intake.csv", None, source_name="intake", source_kind="other"
        )
        projects[team] = (project, person, document, pair, draft)
    users = {}
    for role in ROLES:
        user, _ = do_create_user(role, None, password="correct horse battery staple")
        do_add_member(projects["ours"][0], user, role, None)
        users[role] = user
    return {"projects": projects, "users": users}


def expected_status(role: str, team: str, page: str, method: str) -> int:
    _, may_open, accepts_post = PROJECT_PAGES[page]
    if method == "post" and not accepts_post:
        return 405  # refused for any slug, so this reveals nothing
    if team == "theirs":
        return 404  # never 403: another team's project does not exist for you
    if role not in may_open:
        return 404
    return 200


def reveals_identity(role: str, team: str, page: str, method: str) -> bool:
    may_open = PROJECT_PAGES[page][1]
    shown = (page, method) in REVEALING and role in may_open
    return shown and team == "ours" and role in IDENTITY_ROLES


@pytest.mark.parametrize(("role", "team"), list(itertools.product(ROLES, ["ours", "theirs"])))
def test_each_role_sees_exactly_what_it_may(role: str, team: str, world: dict) -> None:  # type: ignore[type-arg]
    project, person, document, pair, draft = world["projects"][team]
    client = signed_in(world["users"][role])
    for page, method in itertools.product(sorted(PROJECT_PAGES), ["get", "post"]):
        url = PROJECT_PAGES[page][0].format(
            slug=project.slug,
            pseudonym=person.pseudonym,
            document=document.uuid,
            pair=pair.pk,
            draft=draft.uuid,
        )
        response = getattr(client, method)(url)
        where = f"{role} {method.upper()} {page} of {team} project"
        assert response.status_code == expected_status(role, team, page, method), where
        body = b"".join(response) if response.streaming else response.content
        revealed = CANARY.encode() in body
        assert revealed == reveals_identity(role, team, page, method), where
