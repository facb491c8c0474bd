"""Read-only pages of a project. Persons appear by pseudonym; identity only on an audited reveal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.errors import TestimonioError
from testimonio.linkage import describe_disagreements
from testimonio.web.accounts.identity_policy import reveal_for_member
from testimonio.web.accounts.permissions import may, membership_or_404, memberships_of
from testimonio.web.cases.models import Encounter, Person, Record, Term
from testimonio.web.cases.queries import (
    admin_notices,
    codings_by_term,
    encounters_by_port,
    persons_by_pseudonym,
    project_counts,
)


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
        # The project's administrators are told of every export with identities here too.
        "notices": admin_notices(project.pk)[:5] if may(membership, "manage_members") else [],
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
            opened = reveal_for_member(membership, request.user, records, reason="person page")
            identities = list(zip(records, opened, strict=True))
        except TestimonioError as error:  # over the hourly limit, no key, erased, tampered
            identity_error = str(error)
    context = {
        "membership": membership,
        "project": membership.project,
        "person": person,
        "encounters": encounters,
        "records": records,
        "identities": identities,
        "may_reveal": may(membership, "view_identity"),
        "may_split": may(membership, "split_persons") and records.count() > 1,
        "may_correct": may(membership, "record_accounts") and person.erased_at is None,
        "may_designate": may(membership, "designate_named_plaintiffs"),
        "named_plaintiff": hasattr(person, "named_plaintiff"),
        "disagreements": describe_disagreements(person.disagreements),
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
