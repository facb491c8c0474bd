"""Read-only pages of a project. Persons appear by pseudonym; identity only on an audited reveal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.errors import TestimonioError
from testimonio.web.accounts.permissions import may, membership_or_404, memberships_of
from testimonio.web.cases.models import Encounter, Person, Record, Term
from testimonio.web.cases.queries import (
    codings_by_term,
    encounters_by_port,
    persons_by_pseudonym,
    project_counts,
)
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
    page = Paginator(persons_by_pseudonym(project.pk), 50).get_page(request.GET.get("page"))
    context = {
        "membership": membership,
        "project": project,
        "page": page,
        "counts": project_counts(project.pk),
        "by_port": encounters_by_port(project.pk),
        "by_code": codings_by_term(project.pk),
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
