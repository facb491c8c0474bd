"""The coding screen's model: trained on the project's confirmed codings, shown with its version.

Trainings wait for ``run_deferred_trainings()`` here (conftest): a request that starts one
returns before it runs, which is what these tests check.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_erase_person
from testimonio.web.cases.models import Person, Project, Term
from testimonio.web.declarations.actions import (
    do_add_declaration,
    do_code_paragraph,
    do_link_declaration,
)
from testimonio.web.declarations.coding_model import (
    current_model,
    is_training,
    run_deferred_trainings,
)
from testimonio.web.declarations.models import Declaration
from testimonio.web.evidence.models import DocumentParagraph
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db

#: worded so that the lexicon does not know it: only a model learnt from codings can suggest it
STOPPED = "The guards stopped us on the bridge {n} and would not let us walk any further."
ARRIVED = "I arrived in Tijuana on day {n} with my family."


def _declaration(project: Project, n: int) -> Declaration:
    text = f"1. {ARRIVED.format(n=n)}\n2. {STOPPED.format(n=n)}\n"
    return do_add_declaration(project, text.encode(), f"upload-{n}.txt", None)


def _coded(project: Project, coder: User, count: int, first: int = 0) -> None:
    term = Term.objects.get(version=project.vocabulary, code="TAC.DENY.LIMIT_LINE")
    for n in range(first, first + count):
        declaration = _declaration(project, n)
        paragraph = DocumentParagraph.objects.get(document=declaration.document, number=2)
        do_code_paragraph(paragraph, term, None, None, coder)


def _trainings() -> int:
    return AuditEvent.objects.filter(action="declarations.coding_model.train").count()


def _trained(project: Project, attorney: User):  # type: ignore[no-untyped-def]
    """The first model: the first call starts its training and serves none meanwhile."""
    assert current_model(project, attorney) is None
    assert run_deferred_trainings() == 1
    return current_model(project, attorney)


def test_the_screen_suggests_what_the_project_coded_before_with_the_model_version(
    project: Project, attorney: User
) -> None:
    _coded(project, attorney, 6)
    new = _declaration(project, 99)
    url = reverse("declarations:code", args=[project.slug, new.pk, 2])
    client = signed_in(attorney)
    first = client.get(url).content.decode()
    assert "model-" not in first and _trainings() == 0  # the lexicon alone, while it trains
    assert run_deferred_trainings() == 1
    page = client.get(url).content.decode()
    [trained] = AuditEvent.objects.filter(action="declarations.coding_model.train")
    version = trained.details["version"]
    assert trained.details["terms"] == ["TAC.DENY.LIMIT_LINE"]
    assert trained.details["paragraphs"] == 12
    assert f"model {version}" in page and f"suggested ({version})" in page
    shown = AuditEvent.objects.filter(action="declarations.paragraph.suggest").last()
    assert shown is not None
    assert shown.details["suggestions"] == [
        {"code": "TAC.DENY.LIMIT_LINE", "sources": ["model"], "version": version}
    ]
    assert "Tijuana" not in str(shown.details) and "bridge" not in str(trained.details)
    term = Term.objects.get(version=project.vocabulary, code="TAC.DENY.LIMIT_LINE")
    client.post(url, {"term": term.pk})
    coded = AuditEvent.objects.filter(action="declarations.paragraph.code").last()
    assert coded is not None and coded.details["suggested_by"] == version


def test_the_model_is_trained_again_only_when_the_codings_change(
    project: Project, attorney: User
) -> None:
    _coded(project, attorney, 6)
    first = _trained(project, attorney)
    assert first is not None and current_model(project, attorney) is first
    assert not is_training(project.pk) and run_deferred_trainings() == 0
    _coded(project, attorney, 1, first=50)
    # the request after a coding returns at once with the old model; one training starts
    assert current_model(project, attorney) is first
    assert current_model(project, attorney) is first and is_training(project.pk)
    assert _trainings() == 1
    assert run_deferred_trainings() == 1  # two stale requests, one training
    second = current_model(project, attorney)
    assert second is not None and second.version != first.version
    assert second.paragraphs == first.paragraphs + 2
    assert _trainings() == 2 and not is_training(project.pk)


def test_the_coding_screen_after_a_coding_serves_the_old_model_and_trains_after(
    project: Project, attorney: User
) -> None:
    _coded(project, attorney, 6)
    old = _trained(project, attorney)
    assert old is not None
    new = _declaration(project, 99)
    term = Term.objects.get(version=project.vocabulary, code="TAC.DENY.LIMIT_LINE")
    url = reverse("declarations:code", args=[project.slug, new.pk, 2])
    client = signed_in(attorney)
    client.post(url, {"term": term.pk})
    page = client.get(url).content.decode()
    assert f"model {old.version}" in page and _trainings() == 1
    shown = AuditEvent.objects.filter(action="declarations.paragraph.suggest").last()
    assert shown is not None and shown.details["suggestions"][0]["version"] == old.version
    assert run_deferred_trainings() == 1
    [_, trained] = AuditEvent.objects.filter(action="declarations.coding_model.train")
    assert trained.details["version"] != old.version
    assert f"model {trained.details['version']}" in client.get(url).content.decode()


def test_without_codings_there_is_no_model_and_the_lexicon_alone_suggests(
    project: Project, attorney: User
) -> None:
    assert current_model(project, attorney) is None
    assert not is_training(project.pk) and run_deferred_trainings() == 0
    assert not AuditEvent.objects.filter(action="declarations.coding_model.train").exists()


def test_erasing_a_declarant_drops_the_model_that_learnt_their_words(
    project: Project, attorney: User, person: Person
) -> None:
    _coded(project, attorney, 6)
    first = _trained(project, attorney)
    assert first is not None and first.paragraphs == 12
    erased = Declaration.objects.filter(project=project).first()
    assert erased is not None
    do_link_declaration(erased, person, None)
    do_erase_person(person, None, reason="asked to be forgotten")
    # dropped at once, not served while its successor trains: the lexicon alone meanwhile
    assert current_model(project, attorney, train=False) is None
    assert current_model(project, attorney) is None and is_training(project.pk)
    assert run_deferred_trainings() == 1
    second = current_model(project, attorney)
    assert second is not None and second is not first
    assert second.paragraphs == 10 and second.version != first.version
