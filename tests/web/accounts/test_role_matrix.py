"""Every page × every role × own or another team's project: nothing leaks.

The table below must name every URL of the project pages (a test checks it against the URL
configuration), so a new page cannot ship without deciding who may see it and whether it shows
identities. The roles are the five of a membership plus ``none`` (signed in, no role in the
project). The command line has its own table: every command, with what it does to identities
and the test that holds it to that, checked against the commands ``testimonio`` offers.
"""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import click
import pytest
from django.urls import get_resolver

from testimonio.cli.main import cli
from testimonio.web.accounts.actions import do_add_member, do_create_user
from testimonio.web.cases.actions import (
    do_create_person,
    do_create_project,
    do_create_record,
    do_create_source,
    do_record_encounter,
)
from testimonio.web.cases.models import VocabularyVersion
from testimonio.web.declarations.actions import do_add_declaration
from testimonio.web.evidence.actions import do_register_document
from testimonio.web.imports.actions import do_create_import_draft
from testimonio.web.intake.actions import (
    EncounterEntry,
    PersonEntry,
    Testimony,
    do_record_testimony,
    do_save_intake_draft,
)
from testimonio.web.keys.identity import IdentityFields
from testimonio.web.linking.models import LinkageJob, LinkRun, ReviewPair
from testimonio.web.publishing.models import ReportJob
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db

MEMBER_ROLES = ["admin", "attorney", "intake", "analyst", "viewer"]
ROLES = [*MEMBER_ROLES, "none"]  # "none": signed in, but no role in the project
IDENTITY_ROLES = {"admin", "attorney", "intake"}
IDENTITY_EXPORT_ROLES = {"admin", "attorney"}
ANALYSIS_ROLES = {"admin", "attorney", "analyst"}
EVERY_ROLE = set(MEMBER_ROLES)
EXPORT_ROLES = {"admin", "attorney", "intake", "analyst"}
SPLIT_ROLES = {"admin", "attorney"}
PUBLISH_ROLES = {"admin", "attorney"}
CANARY = "Canarito"

#: URL name -> (path template, roles that may open it, accepts POST).
PROJECT_PAGES = {
    "cases:project_detail": ("/p/{slug}/", EVERY_ROLE, False),
    "cases:person_detail": ("/p/{slug}/people/{pseudonym}/", EVERY_ROLE, True),
    "cases:person_split": ("/p/{slug}/people/{pseudonym}/split/", SPLIT_ROLES, True),
    # Correcting writes records: the intake roles; a bare POST lacks its reason, saves nothing.
    "cases:record_correct": (
        "/p/{slug}/people/{pseudonym}/records/{record}/correct/",
        IDENTITY_ROLES,
        True,
    ),
    "cases:encounter_correct": (
        "/p/{slug}/people/{pseudonym}/encounters/{encounter}/correct/",
        IDENTITY_ROLES,
        True,
    ),
    "snapshots:named_plaintiff": (
        "/p/{slug}/people/{pseudonym}/named-plaintiff/",
        SPLIT_ROLES,
        True,
    ),  # a bare POST marks the person (and redirects to their page)
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
    "analyses:linkage_job": ("/p/{slug}/linkage/jobs/{job}/", ANALYSIS_ROLES, False),
    "analyses:review_queue": ("/p/{slug}/linkage/review/", ANALYSIS_ROLES, False),
    "analyses:review_pair": ("/p/{slug}/linkage/review/{pair}/", ANALYSIS_ROLES, True),
    "accounts:members": ("/p/{slug}/members/", {"admin"}, True),  # a bare POST invites no one
    "snapshots:dashboard": ("/p/{slug}/dashboard/", EVERY_ROLE, False),  # pseudonyms only
    "snapshots:figure_behind": ("/p/{slug}/dashboard/behind/", EVERY_ROLE, False),
    "declarations:list": ("/p/{slug}/declarations/", IDENTITY_ROLES, True),
    "declarations:agreement": ("/p/{slug}/declarations/agreement/", IDENTITY_ROLES, False),
    # A POST searches: where the words are (pseudonym, exhibit, paragraph number), no text.
    "declarations:search": ("/p/{slug}/declarations/search/", IDENTITY_ROLES, True),
    # A bare POST is an invalid form: nothing is set.
    "declarations:coding_policy": (
        "/p/{slug}/declarations/coding-policy/",
        {"admin", "attorney"},
        True,
    ),  # fmt: skip
    "declarations:detail": ("/p/{slug}/declarations/{declaration}/", IDENTITY_ROLES, True),
    "declarations:code": ("/p/{slug}/declarations/{declaration}/code/1/", IDENTITY_ROLES, True),
    "publishing:index": ("/p/{slug}/publish/", PUBLISH_ROLES, False),
    "publishing:evidence": ("/p/{slug}/publish/evidence/", PUBLISH_ROLES, True),  # bare: a form
    "publishing:public": ("/p/{slug}/publish/public/", PUBLISH_ROLES, True),  # starts a draft
    "publishing:job": ("/p/{slug}/publish/jobs/{report_job}/", PUBLISH_ROLES, False),
    "publishing:job_download": (
        "/p/{slug}/publish/jobs/{report_job}/download/",
        PUBLISH_ROLES,
        False,
    ),  # fmt: skip
    "publishing:approve": ("/p/{slug}/publish/approve/", PUBLISH_ROLES, True),  # bare: a form
    # A bare POST of the intake form saves nothing and shows the errors of the empty form.
    "intake:new": ("/p/{slug}/intake/new/", IDENTITY_ROLES, True),
    "intake:done": ("/p/{slug}/intake/{intake}/", IDENTITY_ROLES, False),  # pseudonyms only
    "intake:cases": ("/p/{slug}/cases/", EVERY_ROLE, False),  # pseudonyms only
    "intake:lookup": ("/p/{slug}/cases/lookup/", IDENTITY_ROLES, True),  # results: pseudonyms
    # A draft is its author's alone (the intake volunteer's here): others get 404.
    "intake:drafts": ("/p/{slug}/intake/drafts/", IDENTITY_ROLES, False),  # times only
    "intake:draft": ("/p/{slug}/intake/drafts/{intake_draft}/", {"intake"}, False),
    "intake:draft_discard": ("/p/{slug}/intake/drafts/{intake_draft}/discard/", {"intake"}, True),
}
#: Pages that answer a member without the right with 403 (and audit it), not 404: the member
#: knows the project exists. Someone with no role in it still gets 404.
FORBIDDING = {
    "publishing:index", "publishing:evidence", "publishing:public", "publishing:approve",
    "publishing:job", "publishing:job_download",
}  # fmt: skip
#: Pages that show identity values (to the roles that may open them and may see identities).
REVEALING = {
    ("cases:person_detail", "post"),
    ("cases:record_correct", "get"),  # the record's identity, opened to fill the form
    ("evidence:download", "get"),
    ("cases:import_preview", "get"),  # an upload's first rows
    ("cases:import_preview", "post"),  # a POST without a sheet shows them again
    ("analyses:review_pair", "get"),
    ("analyses:review_pair", "post"),  # a POST without a decision shows the pair again
    ("declarations:detail", "get"),  # the declarant's own words
    ("intake:draft", "get"),  # its author's own typing, resumed
    ("declarations:detail", "post"),  # a bare POST changes nothing and shows them again
    ("declarations:code", "get"),
    ("declarations:code", "post"),  # a POST without a term shows the paragraph again
}
#: Pages that, when allowed, answer with a redirect: a POST that starts a background job, and
#: the download of a job with no files (back to the job's page, which says why).
REDIRECTING = {
    ("analyses:linkage", "post"),
    ("publishing:public", "post"),
    ("publishing:job_download", "get"),
    ("snapshots:named_plaintiff", "post"),
    ("intake:draft_discard", "post"),
}
OPEN_PAGES = {"cases:project_list", "login", "logout", "two_factor", "set_language"}


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
    projects, corrections = {}, {}
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
        declaration = do_add_declaration(
            project, f"1. Yo, {CANARY} {team}, declaro.\n".encode(), "declaration.txt", None
        )
        job = LinkageJob.objects.create(project=project, status="finished", link_run=run)
        report_job = ReportJob.objects.create(project=project, kind="evidence", status="finished")
        testimony = Testimony(
            person=PersonEntry(identity=IdentityFields(CANARY, team)),
            encounters=(EncounterEntry(date="2018", port="2504-SYS"),),
        )
        intake = do_record_testimony(project, testimony, None)
        encounter = do_record_encounter(person, None, date="2018", port="2504-SYS")
        corrections[team] = (record.pk, encounter.pk)
        projects[team] = (
            project, person, document, pair, draft, declaration, job, intake, report_job
        )  # fmt: skip
    users = {}
    for role in ROLES:
        user, _ = do_create_user(role, None, password="correct horse battery staple")
        if role != "none":
            do_add_member(projects["ours"][0], user, role, None)
        users[role] = user
    intake_drafts = {
        team: do_save_intake_draft(
            project, users["intake"], uuid.uuid4(), {"person-given_names": [CANARY]}
        )
        for team, (project, *_) in projects.items()
    }
    return {
        "projects": projects,
        "users": users,
        "intake_drafts": intake_drafts,
        "corrections": corrections,
    }


def expected_status(role: str, team: str, page: str, method: str) -> int:
    _, may_open, accepts_post = PROJECT_PAGES[page]
    if method == "post" and not accepts_post:
        return 405  # refused for any slug, so this reveals nothing
    if team == "theirs":
        return 404  # never 403: another team's project does not exist for you
    if role not in may_open:
        return 403 if page in FORBIDDING and role != "none" else 404
    return 302 if (page, method) in REDIRECTING else 200


def reveals_identity(role: str, team: str, page: str, method: str) -> bool:
    may_open = PROJECT_PAGES[page][1]
    shown = (page, method) in REVEALING and role in may_open
    return shown and team == "ours" and role in IDENTITY_ROLES


@pytest.mark.parametrize(("role", "team"), list(itertools.product(ROLES, ["ours", "theirs"])))
def test_each_role_sees_exactly_what_it_may(role: str, team: str, world: dict) -> None:  # type: ignore[type-arg]
    project, person, document, pair, draft, declaration, job, intake, report_job = world[
        "projects"
    ][team]
    client = signed_in(world["users"][role])
    for page, method in itertools.product(sorted(PROJECT_PAGES), ["get", "post"]):
        url = PROJECT_PAGES[page][0].format(
            slug=project.slug,
            pseudonym=person.pseudonym,
            document=document.uuid,
            pair=pair.pk,
            draft=draft.uuid,
            declaration=declaration.pk,
            job=job.pk,
            intake=intake.uuid,
            report_job=report_job.pk,
            intake_draft=world["intake_drafts"][team].uuid,
            record=world["corrections"][team][0],
            encounter=world["corrections"][team][1],
        )
        response = getattr(client, method)(url)
        where = f"{role} {method.upper()} {page} of {team} project"
        assert response.status_code == expected_status(role, team, page, method), where
        body = b"".join(response) if response.streaming else response.content
        revealed = CANARY.encode() in body
        assert revealed == reveals_identity(role, team, page, method), where


@pytest.mark.parametrize("role", ROLES)
def test_only_attorneys_and_administrators_export_identities(role: str, world: dict) -> None:  # type: ignore[type-arg]
    project = world["projects"]["ours"][0]
    client = signed_in(world["users"][role])
    asked = {"format": ".csv", "identities": "on", "reason": "filing"}
    response = client.post(f"/p/{project.slug}/export/", asked)
    assert response.status_code == (200 if role in EXPORT_ROLES else 404), role
    assert (CANARY.encode() in response.content) == (role in IDENTITY_EXPORT_ROLES), role


# --- The command line ---------------------------------------------------------------------------
#
# Whoever runs `testimonio` holds the instance's keys (docs/security.md): roles do not apply, so
# the table says what each command does to identities and which test holds it to that.

TESTS = Path(__file__).resolve().parents[2]
#: command -> (what it does to identities, "test file::test" that checks its guard).
CLI_COMMANDS: dict[str, tuple[str, str]] = {
    "analyze": ("none: reads a pseudonymised snapshot of the project", ""),
    "audit checkpoint": ("none", ""),
    "audit verify": ("none", ""),
    "backup": (
        "copies them sealed, never the keys",
        "cli/test_backup_command.py::test_no_name_of_the_world_is_readable_in_the_backup_file",
    ),
    "declarations add": (
        "writes them sealed; prints ids only",
        "web/declarations/test_command.py::test_add_prints_each_declarations_id",
    ),
    "declarations list": ("none", ""),
    "declarations redact": (
        "writes a copy without the declarant's identity, checked first",
        "web/declarations/test_command.py::test_redact_writes_a_pdf_without_the_declarants_name",
    ),
    "declarations show": (
        "prints a declaration's paragraphs; audited; --user role-checked",
        "web/declarations/test_command.py::test_show_and_redact_as_a_user_follow_the_role_matrix",
    ),
    "custody verify": (
        "decrypts documents in memory, prints only hashes and ids",
        "cli/test_instance_commands.py::test_custody_verify_passes_then_names_a_damaged_document",
    ),
    "demo": (
        "writes synthetic identities, sealed",
        "cli/test_instance_commands.py::test_demo_builds_an_instance_with_an_example_project",
    ),
    "estimate": ("none", ""),
    "export": (
        "reveals them into a file only with --with-identities and --reason; audited, noticed",
        "cli/test_export_command.py::test_export_is_pseudonymous_unless_identities_are_asked_for",
    ),
    "import": (
        "writes them sealed; prints no cell",
        "cli/test_import_command.py::test_a_mapping_proposal_prints_no_cell_of_the_file",
    ),
    "init": ("none", ""),
    "keys rotate": (
        "decrypts and re-seals every identity in memory",
        "cli/test_instance_commands.py::"
        "test_keys_rotate_then_deleting_the_old_key_keeps_the_demo_readable",
    ),
    "keys status": ("none", ""),
    "link": (
        "reads identities from the files given (or, with --project, decrypts them in memory); "
        "writes ids and clusters only",
        "cli/test_link_command.py::test_the_pairs_file_scores_pairs_without_any_name_in_it",
    ),
    "members add": ("none", ""),
    "members list": ("none", ""),
    "members remove": ("none", ""),
    "intake purge-drafts": ("deletes sealed drafts past their time, with their keys", ""),
    "people erase": (
        "destroys a person's identity (crypto-shredding), refused under legal hold",
        "cli/test_instance_commands.py::"
        "test_people_erase_refuses_under_legal_hold_then_erases_into_a_private_ledger",
    ),
    "people hold": ("none", ""),
    "people named-plaintiff": ("none: marks a pseudonym; audited", ""),
    "people reindex": (
        "opens them in memory to recompute the blind indexes; prints counts only",
        "web/intake/test_lookup.py::test_reindex_fills_the_new_indexes_of_older_records",
    ),
    "people reapply-erasures": (
        "destroys the identities of people erased since a backup",
        "cli/test_backup_command.py::"
        "test_a_restore_after_an_erasure_keeps_the_person_erased_and_verifies",
    ),
    "report approve": ("none: records an approval; --user role-checked, refusals audited", ""),
    "report evidence": ("none: reads (or, with --project, writes) a pseudonymised snapshot", ""),
    "report public": (
        "none: reads a pseudonymised snapshot; suppressed tables only",
        "reporting/test_public_report.py::"
        "test_no_name_birth_date_phone_or_narrative_phrase_is_in_any_public_output",
    ),
    "restore": (
        "writes a backup's sealed identities into a new instance",
        "cli/test_backup_command.py::"
        "test_a_restore_after_an_erasure_keeps_the_person_erased_and_verifies",
    ),
    "snapshot": (
        "writes the project's pseudonymised tables, no identity column",
        "web/snapshots/test_snapshot_from_project.py::"
        "test_no_name_birth_date_or_phone_is_anywhere_in_the_snapshot",
    ),
    "serve": ("runs the web app: the pages above", ""),
    "simulate": (
        "writes synthetic identities to files",
        "cli/test_simulate_command.py::test_it_writes_the_sources_and_the_truth",
    ),
    "users add": ("none", ""),
    "users invite": ("none", ""),
    "users list": ("none", ""),
    "users remove": ("none", ""),
    "users unlock": ("none", ""),
    "vocab list": ("none", ""),
    "vocab load": ("none", ""),
    "vocab show": ("none", ""),
}


def cli_commands() -> set[str]:
    """Every command `testimonio` offers, subcommands by their full path."""
    context = click.Context(cli)
    found: set[str] = set()
    pending: list[tuple[list[str], click.Command]] = [([], cli)]
    while pending:
        path, command = pending.pop()
        if isinstance(command, click.Group):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                assert sub is not None
                pending.append(([*path, name], sub))
        else:
            found.add(" ".join(path))
    return found


def test_the_matrix_covers_every_command() -> None:
    assert cli_commands() == set(CLI_COMMANDS)


@pytest.mark.parametrize(
    "command", sorted(name for name, (kind, test) in CLI_COMMANDS.items() if test)
)
def test_each_command_that_touches_identities_names_an_existing_test(command: str) -> None:
    file, name = CLI_COMMANDS[command][1].split("::")
    assert f"def {name}(" in (TESTS / file).read_text(encoding="utf-8"), command
