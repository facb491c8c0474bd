"""The linkage pages: who sees what, every identity view audited, decisions from the queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_person, do_create_project, do_create_record
from testimonio.web.cases.models import Project, Source
from testimonio.web.keys.identity import IdentityFields
from testimonio.web.linking.actions import do_run_linkage
from testimonio.web.linking.jobs import run_linkage_job
from testimonio.web.linking.models import LinkageJob, LinkRun, MatchDecision, ReviewPair
from tests.web.clients import signed_in
from tests.web.linking.factories import make_world

pytestmark = pytest.mark.django_db
CANARY = IdentityFields("Canarito Yolotli", "Xochiquetzal Cuauhtli", "1991-03-17")


@pytest.fixture
def pair(project: Project, source: Source) -> ReviewPair:
    first = do_create_record(source, None, identity=CANARY, person=do_create_person(project, None))
    second = do_create_record(source, None, identity=CANARY, person=do_create_person(project, None))
    run = LinkRun.objects.create(project=project, input_hash="0" * 64, threshold=0.9)
    explanation = [{"comparison": "prior", "level": "", "weight": -6.0, "bayes_factor": 0.0156}]
    return ReviewPair.objects.create(
        link_run=run, record_a=first, record_b=second, match_probability=0.8,
        explanation=explanation,
    )  # fmt: skip


def pages(pair: ReviewPair) -> list[str]:
    slug = pair.link_run.project.slug
    base = f"/p/{slug}/linkage/"
    return [base, f"{base}review/", f"{base}review/{pair.pk}/"]


def test_an_analyst_never_sees_identity_values(pair: ReviewPair, analyst: User) -> None:
    client = signed_in(analyst)
    for url in pages(pair):
        body = client.get(url).content.decode()
        assert "Canarito" not in body and "Xochiquetzal" not in body and "1991" not in body
    assert b"prior" in client.get(pages(pair)[2]).content  # the waterfall is shown
    assert not AuditEvent.objects.filter(action="cases.identity.reveal").exists()


def test_an_attorney_sees_both_identities_and_each_view_is_audited(
    pair: ReviewPair, attorney: User
) -> None:
    client = signed_in(attorney)
    for _ in range(2):
        body = client.get(pages(pair)[2]).content.decode()
        assert "Canarito Yolotli" in body and "1991-03-17" in body
    reveals = AuditEvent.objects.filter(action="cases.identity.reveal")
    assert reveals.count() == 4  # two records, two views
    assert all(event.details == {"reason": "linkage review"} for event in reveals)


def test_an_intake_officer_has_no_linkage_pages(pair: ReviewPair, intake_officer: User) -> None:
    client = signed_in(intake_officer)
    assert [client.get(url).status_code for url in pages(pair)] == [404, 404, 404]


def test_another_projects_pair_does_not_exist(
    pair: ReviewPair, attorney: User, vocabulary: object
) -> None:
    theirs = do_create_project("Theirs", pair.link_run.project.vocabulary, None, slug="theirs")
    other_run = LinkRun.objects.create(project=theirs, input_hash="0" * 64, threshold=0.9)
    other = ReviewPair.objects.create(
        link_run=other_run, record_a=pair.record_a, record_b=pair.record_b, match_probability=0.6
    )
    url = f"/p/{pair.link_run.project.slug}/linkage/review/{other.pk}/"
    assert signed_in(attorney).get(url).status_code == 404


def test_deciding_same_takes_the_pair_off_the_queue(pair: ReviewPair, attorney: User) -> None:
    client = signed_in(attorney)
    queue = pages(pair)[1]
    assert f"review/{pair.pk}/".encode() in client.get(queue).content
    response = client.post(pages(pair)[2], {"decision": "same"})
    assert response.status_code == 302 and response["Location"] == queue
    assert MatchDecision.objects.get().decision == "same"
    assert f"review/{pair.pk}/".encode() not in client.get(queue).content


@pytest.mark.slow
def test_running_linkage_from_the_page_fills_the_queue(
    project: Project, analyst: User, django_capture_on_commit_callbacks: Any
) -> None:
    make_world(project, people=12, vague=4)
    client = signed_in(analyst)
    with django_capture_on_commit_callbacks(execute=False) as started:
        response = client.post(f"/p/{project.slug}/linkage/")
    job = LinkageJob.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/linkage/jobs/{job.pk}/")
    assert len(started) == 1  # the worker thread starts once the job is committed
    run_linkage_job(job.pk)  # what that thread does, here in the test's transaction
    page = client.get(response.url)
    assert b"finished" in page.content and b"refresh" not in page.content
    run = LinkRun.objects.get()
    assert run.created_by == analyst and run.review_pairs.exists()
    assert do_run_linkage(project, analyst).metrics["records_moved"] == 0
