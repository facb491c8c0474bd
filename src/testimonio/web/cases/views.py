"""Read-only pages of a project. Persons appear by pseudonym; identity only on an audited reveal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.errors import TestimonioError
from testimonio.web.accounts.permissions import may, membership_or_404, memberships_of
from testimonio.web.cases.models import Coding, Encounter, Person, Record, Term
from testimonio.web.keys.identity import reveal_identity


@login_required
@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    memberships = memberships_of(request.user)
    return render(request, "cases/project_list.html", {"memberships": memberships})


@login_required
@require_safe
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_or_404(request.user, slug)
    project = membership.project
    persons = (
        Person.objects.filter(project=project)
        .annotate(encounter_count=Count("encounters", distinct=True))
        .order_by("pseudonym")
    )
    page = Paginator(persons, 50).get_page(request.GET.get("page"))
    context = {
        "membership": membership,
        "project": project,
        "page": page,
        "counts": _project_counts(project.pk),
        "by_port": _encounters_by_port(project.pk),
        "by_code": _codings_by_term(project.pk),
    }
    return render(request, "cases/project_detail.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def person_detail(request: HttpRequest, slug: str, pseudonym: str) -> HttpResponse:
    membership = membership_or_404(request.user, slug)
    person = get_object_or_404(Person, project=membership.project, pseudonym=pseudonym)
    encounters = (
        Encounter.objects.filter(person=person)
        .select_related("port", "outcome")
        .prefetch_related("codings__term")
    )
    records = Record.objects.filter(person=person).select_related("source")
    identities, identity_error = [], ""
    if request.method == "POST" and may(membership, "view_identity"):
        try:
            identities = [
                (record, reveal_identity(record, request.user, reason="person page"))
                for record in records
            ]
        except TestimonioError as error:  # no master key, erased person, tampered value
            identity_error = str(error)
    context = {
        "membership": membership,
        "project": membership.project,
        "person": person,
        "encounters": encounters,
        "records": records,
        "identities": identities,
        "may_reveal": may(membership, "view_identity"),
        "identity_error": identity_error,
    }
    return render(request, "cases/person_detail.html", context)


@login_required
@require_safe
def vocabulary(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_or_404(request.user, slug)
    terms = Term.objects.filter(version=membership.project.vocabulary)
    context = {"membership": membership, "project": membership.project, "terms": terms}
    return render(request, "cases/vocabulary.html", context)


def _project_counts(project_id: int) -> dict[str, int]:
    return {
        "records": Record.objects.filter(project_id=project_id).count(),
        "persons": Person.objects.filter(project_id=project_id).count(),
        "encounters": Encounter.objects.filter(project_id=project_id).count(),
    }


def _encounters_by_port(project_id: int) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Encounter.objects.filter(project_id=project_id)
        .values("port__code", "port__name")
        .annotate(count=Count("pk"))
        .order_by("-count")[:15]
    ]


def _codings_by_term(project_id: int) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Coding.objects.filter(encounter__project_id=project_id)
        .values("term__code", "term__label_en")
        .annotate(count=Count("pk"))
        .order_by("-count")[:15]
    ]
