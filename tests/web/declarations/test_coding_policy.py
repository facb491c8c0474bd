"""A project's blind double-coding share and minimum alpha: set, audited, and in force."""

from __future__ import annotations

import pytest
from django.urls import reverse

from testimonio.errors import ValidationError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.declarations.actions import do_code_paragraph, do_set_coding_policy
from testimonio.web.declarations.double_coding import in_sample, sample_progress
from testimonio.web.declarations.models import CodingPolicy, Declaration, policy_for
from testimonio.web.snapshots.declarations import agreement_tables
from tests.declarations.conftest import SimulatedDeclaration
from tests.web.clients import signed_in
from tests.web.conftest import member

pytestmark = pytest.mark.django_db
Added = tuple[Declaration, SimulatedDeclaration]
TACTIC = "TAC.DENY"


def test_the_policy_is_set_audited_with_old_and_new_values_and_checked(
    docx_declaration: Added,
) -> None:
    project = docx_declaration[0].project
    assert policy_for(project.pk).minimum_alpha == pytest.approx(0.667)  # the default, unsaved
    do_set_coding_policy(project, None, double_coding_share=0.5, minimum_alpha=0.8)
    event = AuditEvent.objects.filter(action="declarations.coding_policy").get()
    assert event.details["before"] == {"double_coding_share": 0.2, "minimum_alpha": 0.667}
    assert event.details["after"] == {"double_coding_share": 0.5, "minimum_alpha": 0.8}
    for share, alpha in ((1.5, 0.8), (0.5, 2.0)):
        with pytest.raises(ValidationError):
            do_set_coding_policy(project, None, double_coding_share=share, minimum_alpha=alpha)
    assert CodingPolicy.objects.get(project=project).double_coding_share == 0.5
    assert AuditEvent.objects.filter(action="declarations.coding_policy").count() == 1


@pytest.mark.parametrize(("role", "status"), [("attorney", 302), ("admin", 302), ("intake", 404),
                                              ("analyst", 404), ("viewer", 404)])  # fmt: skip
def test_only_attorneys_and_admins_set_it_on_the_page(
    docx_declaration: Added, role: str, status: int
) -> None:
    project = docx_declaration[0].project
    client = signed_in(member(project, f"u-{role}", role))
    url = reverse("declarations:coding_policy", args=[project.slug])
    response = client.post(url, {"double_coding_share": "0.3", "minimum_alpha": "0.75"})
    assert response.status_code == status
    saved = CodingPolicy.objects.filter(project=project).first()
    assert (saved is not None and saved.minimum_alpha == 0.75) == (status == 302)
    if status == 302:
        bad = client.post(url, {"double_coding_share": "3", "minimum_alpha": "0.75"})
        assert bad.status_code == 200 and b"errorlist" in bad.content
        assert CodingPolicy.objects.get(project=project).double_coding_share == 0.3


def test_on_a_sampled_paragraph_a_coder_does_not_see_others_codes_before_coding(
    docx_declaration: Added,
) -> None:
    declaration = docx_declaration[0]
    project = declaration.project
    ana = member(project, "coder-ana-7", "attorney")
    beto = member(project, "coder-beto-7", "intake")
    paragraph = declaration.document.paragraphs.order_by("number").first()
    do_code_paragraph(paragraph, TACTIC, None, None, ana)
    detail = reverse("declarations:detail", args=[project.slug, declaration.pk])
    client = signed_in(beto)
    do_set_coding_policy(project, None, double_coding_share=0.0, minimum_alpha=0.667)
    assert b"coder-ana-7" in client.get(detail).content  # not sampled: nothing to hide
    do_set_coding_policy(project, None, double_coding_share=1.0, minimum_alpha=0.667)
    assert b"coder-ana-7" not in client.get(detail).content  # sampled, beto has not coded it
    code = reverse("declarations:code", args=[project.slug, declaration.pk, paragraph.number])
    assert "blind double-coding sample" in client.get(code).content.decode()
    waiting = sample_progress(project.pk, beto.pk)
    assert (declaration.pk, paragraph.number, paragraph.pk) in waiting.to_code
    do_code_paragraph(paragraph, TACTIC, None, None, beto)
    assert b"coder-ana-7" in client.get(detail).content  # read it himself: now he sees hers
    after = sample_progress(project.pk, beto.pk)
    assert after.sampled == after.paragraphs == declaration.document.paragraphs.count()
    assert after.double_coded == 1
    assert all(pk != paragraph.pk for _, _, pk in after.to_code)


def test_the_sample_share_is_respected_and_the_snapshot_uses_the_projects_minimum(
    docx_declaration: Added,
) -> None:
    declaration = docx_declaration[0]
    project = declaration.project
    do_set_coding_policy(project, None, double_coding_share=0.5, minimum_alpha=0.95)
    policy = policy_for(project.pk)
    paragraphs = list(declaration.document.paragraphs.order_by("number"))
    sampled = [p for p in paragraphs if in_sample(policy, p.pk)]
    assert sample_progress(project.pk, None).sampled == len(sampled)
    ana = member(project, "coder-ana-8", "attorney")
    beto = member(project, "coder-beto-8", "intake")
    for number, paragraph in enumerate(paragraphs):
        do_code_paragraph(paragraph, TACTIC, None, None, ana)
        if number % 3:  # beto agrees on two paragraphs of three and reads the others too
            do_code_paragraph(paragraph, TACTIC, None, None, beto)
        else:
            do_code_paragraph(paragraph, "TAC.DENY.CAPACITY", None, None, beto)
    tables = agreement_tables(project)
    row = tables["coder_agreement"].set_index("term_code").loc[TACTIC]
    assert row["minimum_alpha"] == pytest.approx(0.95) and bool(row["flagged"])
    assert "coder_kappa" in tables
