"""The intake form, its confirmation page, the case list and the exact lookup.

URLs carry a project's slug, an intake's random UUID or a pseudonym; never an identity. The
lookup is a POST for the same reason: what is typed stays out of URLs and access logs.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.forms.utils import ErrorDict, ErrorList
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.errors import PermissionDenied, TestimonioError
from testimonio.linkage import IdentityFacts
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import may, membership_or_404, membership_with
from testimonio.web.cases.models import Encounter, Person
from testimonio.web.intake.actions import (
    PersonEntry,
    Testimony,
    do_purge_intake_drafts,
    do_record_testimony,
    draft_expiry,
)
from testimonio.web.intake.draft_views import save_draft
from testimonio.web.intake.duplicates import PossibleDuplicate, do_check_duplicates
from testimonio.web.intake.filters import LINKAGE_LABELS, CaseFilterForm, LookupForm
from testimonio.web.intake.forms import (
    DuplicateForm,
    EncounterFormSet,
    FamilyFormSet,
    PersonForm,
)
from testimonio.web.intake.lookup import do_lookup_persons
from testimonio.web.intake.models import Intake, IntakeDraft
from testimonio.web.intake.queries import case_page

ADD_BUTTONS = {"add_family": "family", "add_encounter": "encounter"}

#: The action's refusals a user can meet after the form's own checks, in the user's language
#: (the action's message, in English, is for the CLI and the logs).
REFUSALS = {
    "submission": gettext_lazy(
        "This form page was already used: open a new form to record another testimony."
    ),
    "encounters": gettext_lazy("A testimony needs at least one encounter."),
    "same_as": gettext_lazy("That person belongs to another project."),
    "draft": gettext_lazy("This draft is larger than an intake form can be."),
}


def refusal(error: TestimonioError) -> str:
    """What to tell the user when an action refuses the form (never a traceback)."""
    if isinstance(error, PermissionDenied):
        return gettext("This form page belongs to another person's draft: open a new form.")
    column = getattr(error, "column", None) or ""
    if column in REFUSALS:
        return str(REFUSALS[column])
    return gettext("A value was refused (%(field)s). Check the answers and save again.") % {
        "field": column or "?"
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def new_testimony(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_with(request.user, slug, "record_accounts")
    if request.method == "GET":
        do_purge_intake_drafts(None)
        return form_page(request, membership, None, submission=uuid.uuid4())
    data = _with_added_form(request.POST)
    submission = _submission(data)
    if "save_draft" in data:  # the autosave, or the "Save draft" button: no testimony yet
        try:
            draft = save_draft(request, membership, submission)
        except TestimonioError as error:
            return form_page(request, membership, data, submission=submission, error=refusal(error))
        if isinstance(draft, HttpResponse):
            return draft
        return form_page(
            request, membership, data, submission=submission, show_errors=False, draft=draft
        )
    if data is not request.POST:  # "add a family member / an encounter": no save yet
        return form_page(request, membership, data, submission=submission, show_errors=False)
    saved = Intake.objects.filter(project=membership.project, submission=submission).first()
    if saved is not None:  # the same page submitted again (a double click, a reload)
        return redirect("intake:done", slug=slug, intake=saved.uuid)
    forms = _bound_forms(membership, data)
    person, family, encounters = forms
    if not all(part.is_valid() for part in forms):
        return form_page(request, membership, data, submission=submission)
    entry = person.entry()
    duplicates = _possible_duplicates(membership, request.user, entry)
    decision = DuplicateForm(data, pseudonyms=[p.pseudonym for p in duplicates])
    if duplicates and not decision.is_valid():
        if "same_as" not in data:  # asked for the first time: no error to show yet
            decision = DuplicateForm(pseudonyms=[p.pseudonym for p in duplicates])
        return form_page(
            request,
            membership,
            data,
            submission=submission,
            duplicates=decision,
            found=duplicates,
        )
    chosen = decision.cleaned_data.get("same_as") if duplicates else None
    same_as = next((found.person for found in duplicates if found.pseudonym == chosen), None)
    testimony = Testimony(
        person=PersonEntry(
            identity=entry.identity,
            attributes=entry.attributes,
            vulnerabilities=entry.vulnerabilities,
            same_as=same_as,
        ),
        family=tuple(form.entry() for form in family if form.has_changed()),
        encounters=tuple(form.entry() for form in encounters if form.has_changed()),
        submission=submission,
    )
    try:
        intake = do_record_testimony(membership.project, testimony, request.user)
    except TestimonioError as error:
        return form_page(request, membership, data, submission=submission, error=refusal(error))
    return redirect("intake:done", slug=slug, intake=intake.uuid)


@login_required
@require_safe
def testimony_saved(request: HttpRequest, slug: str, intake: uuid.UUID) -> HttpResponse:
    membership = membership_with(request.user, slug, "record_accounts")
    saved = get_object_or_404(
        Intake.objects.select_related("person"), project=membership.project, uuid=intake
    )
    context = {
        "project": membership.project,
        "intake": saved,
        "companions": saved.companions.select_related("person").order_by("pk"),
        "encounters": Encounter.objects.filter(record=saved.record).count(),
    }
    return render(request, "intake/saved.html", context)


@login_required
@require_safe
def case_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_or_404(request.user, slug)
    project = membership.project
    form = CaseFilterForm(request.GET, project=project)
    page = None
    if form.is_valid():
        page = case_page(
            project.pk,
            form.filters(),
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
        )
    rows = _listed(project.slug, page.rows) if page is not None else []
    query = request.GET.copy()
    for cursor in ("after", "before"):
        query.pop(cursor, None)
    context = {
        "membership": membership,
        "project": project,
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "may_lookup": may(membership, "view_identity"),
    }
    return render(request, "intake/case_list.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_with(request.user, slug, "view_identity")
    form = LookupForm(request.POST or None)
    persons: list[Person] | None = None
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            persons = do_lookup_persons(membership, request.user, form.lookup())
        except TestimonioError as refused:
            error = str(refused)
    context = {"project": membership.project, "form": form, "persons": persons, "error": error}
    return render(request, "intake/lookup.html", context)


def _listed(slug: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page's rows with their link and linkage status, made here once for the page (a
    template tag per row and cell was most of the page's time at 50 rows)."""
    people = reverse("cases:project_detail", args=[slug]) + "people/"
    for row in rows:
        row["url"] = f"{people}{row['pseudonym']}/"
        status = (
            "flagged" if row["disagreements"] else "linked" if row["record_count"] > 1 else "single"
        )
        row["status"] = LINKAGE_LABELS[status]
        first, last = row["first_year"], row["last_year"]
        row["years"] = "" if first is None else str(first) if first == last else f"{first}–{last}"
    return rows


def _bound_forms(membership: Membership, data: QueryDict | None) -> tuple[PersonForm, Any, Any]:
    project = membership.project
    return (
        PersonForm(data, project=project, prefix="person"),
        FamilyFormSet(data, prefix="family", form_kwargs={"project": project}),
        EncounterFormSet(data, prefix="encounter", form_kwargs={"project": project}),
    )


def form_page(
    request: HttpRequest,
    membership: Membership,
    data: QueryDict | None,
    *,
    submission: uuid.UUID,
    show_errors: bool = True,
    duplicates: DuplicateForm | None = None,
    found: list[PossibleDuplicate] | None = None,
    error: str = "",
    draft: IntakeDraft | None = None,
) -> HttpResponse:
    person, family, encounters = _bound_forms(membership, data)
    if data is not None and not show_errors:
        _quiet(person, family, encounters)
    context = {
        "project": membership.project,
        "person_form": person,
        "family": family,
        "encounters": encounters,
        "submission": submission,
        "show_errors": show_errors and data is not None,
        "duplicates": duplicates,
        "found": found or [],
        "error": error,
        "draft": draft,
        "draft_expires": draft_expiry(draft) if draft is not None else None,
    }
    return render(request, "intake/new.html", context)


def _quiet(person: PersonForm, *formsets: Any) -> None:
    """Show a bound form again without checking it: after "add another", the half-filled
    page is not yet an answer to correct."""
    person._errors = ErrorDict()  # type: ignore[attr-defined]
    for formset in formsets:
        formset._errors, formset._non_form_errors = [], ErrorList()
        for form in formset.forms:
            form._errors = ErrorDict()


def _with_added_form(post: QueryDict) -> QueryDict:
    """The POST with one more family member or encounter form, if such a button was pressed."""
    for button, prefix in ADD_BUTTONS.items():
        if button in post:
            data = post.copy()
            total = f"{prefix}-TOTAL_FORMS"
            data[total] = str(int(data.get(total) or 0) + 1)
            return data
    return post


def _submission(data: QueryDict) -> uuid.UUID:
    try:
        return uuid.UUID(data.get("submission", ""))
    except ValueError:
        return uuid.uuid4()


def _possible_duplicates(
    membership: Membership, user: User | AnonymousUser, entry: PersonEntry
) -> list[PossibleDuplicate]:
    """Persons the entered identity may be (blind indexes, then linkage score)."""
    identity = entry.identity
    facts = IdentityFacts(
        identity.given_names, identity.surnames, identity.birth_date, identity.phone
    )
    return do_check_duplicates(membership, user, facts)
