"""A project's agreement, measured from its paragraph codings, and the page that shows it."""

from __future__ import annotations

import math

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from testimonio.web.declarations.actions import do_code_paragraph
from testimonio.web.declarations.agreement import project_agreement
from testimonio.web.declarations.models import Declaration
from tests.declarations.conftest import SimulatedDeclaration
from tests.web.clients import signed_in
from tests.web.conftest import member

pytestmark = pytest.mark.django_db
Added = tuple[Declaration, SimulatedDeclaration]
DENY, CAPACITY = "TAC.DENY", "TAC.DENY.CAPACITY"


def double_coded(declaration: Declaration, ana: User, beto: User) -> None:
    """Both read every paragraph (each codes DENY on all); only ana codes CAPACITY on ¶2."""
    for paragraph in declaration.document.paragraphs.all():
        for coder in (ana, beto):
            do_code_paragraph(paragraph, DENY, None, None, coder)
    first, second = declaration.document.paragraphs.order_by("number")[:2]
    do_code_paragraph(first, CAPACITY, None, None, ana)
    do_code_paragraph(first, CAPACITY, None, None, beto)
    do_code_paragraph(second, CAPACITY, None, None, ana)


def test_agreement_is_measured_on_the_double_coded_paragraphs(
    docx_declaration: Added, attorney: User, intake_officer: User
) -> None:
    declaration, _ = docx_declaration
    double_coded(declaration, attorney, intake_officer)
    results = {r.term: r for r in project_agreement(declaration.project, replicates=50)}
    assert results[CAPACITY].units == declaration.paragraph_count
    assert 0 < results[CAPACITY].alpha < 1
    [disagreement] = results[CAPACITY].disagreements
    assert disagreement.marked_by == (str(attorney.pk),)
    assert math.isnan(results[DENY].alpha)  # everyone marked every paragraph: nothing measured


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("attorney", 200), ("intake", 200), ("analyst", 404), ("viewer", 404)],
)
def test_the_agreement_page_follows_the_role_matrix(
    docx_declaration: Added, role: str, status: int
) -> None:
    declaration, _ = docx_declaration
    client = signed_in(member(declaration.project, f"u-{role}", role))
    url = reverse("declarations:agreement", args=[declaration.project.slug])
    assert client.get(url).status_code == status


def test_the_agreement_page_flags_a_term_below_the_minimum(
    docx_declaration: Added, attorney: User, intake_officer: User
) -> None:
    declaration, _ = docx_declaration
    double_coded(declaration, attorney, intake_officer)
    url = reverse("declarations:agreement", args=[declaration.project.slug])
    page = signed_in(attorney).get(url).content.decode()
    assert CAPACITY in page and "below 0.667" in page
