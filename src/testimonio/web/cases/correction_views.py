"""Correcting a record or an encounter from the person's page (roles that record accounts).

Identity fields are on the record's form only for roles allowed to see identities; opening
them to fill the form is an audited reveal, as on the person page. The reason is chosen from
a fixed list. :mod:`testimonio.web.cases.actions.corrections` writes the change and keeps
the previous values sealed in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from testimonio.errors import TestimonioError, ValidationError
from testimonio.web.accounts.identity_policy import reveal_for_member
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import may, membership_with
from testimonio.web.cases.actions.corrections import (
    IDENTITY_FIELDS,
    RECORD_ATTRIBUTES,
    CorrectionReason,
    do_correct_encounter,
    do_correct_record,
    encounter_values,
)
from testimonio.web.cases.models import Encounter, Person, Project, Record
from testimonio.web.intake.forms import EncounterForm, PersonForm

#: What the page says for the action's refusals it can name (the rest: the action's words).
_REFUSALS = {
    "changes": gettext_lazy("Nothing was changed: every value is as it was."),
    "birth_date": gettext_lazy("This birth date does not exist."),
    "date": gettext_lazy("This date does not exist."),
}


class ReasonField(forms.ChoiceField):
    def __init__(self) -> None:
        super().__init__(
            label=gettext_lazy("Why is this corrected?"),
            choices=[("", gettext_lazy("Choose…")), *CorrectionReason.choices],
        )


class RecordCorrectionForm(PersonForm):
    """The intake's person fields (same choices and date rules), with a reason; without the
    identity fields for a role that may not see identities."""

    reason = ReasonField()

    def __init__(self, *args: Any, project: Project, identity: bool, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        del self.fields["vulnerabilities"]
        if not identity:
            for name in ("given_names", "surnames", "phone", "identity_document"):
                del self.fields[name]
            for part in ("year", "month", "day"):
                del self.fields[f"birth_{part}"]
        self.identity = identity

    def clean(self) -> dict[str, Any]:
        if self.identity:  # the intake's checks: a name or initials, a date that exists
            return super().clean()
        return forms.Form.clean(self) or {}

    def changes(self) -> dict[str, str]:
        data = self.cleaned_data
        names = [*IDENTITY_FIELDS, *RECORD_ATTRIBUTES] if self.identity else RECORD_ATTRIBUTES
        return {name: str(data.get(name) or "").strip() for name in names if name in data}


class EncounterCorrectionForm(EncounterForm):
    """The intake's encounter fields that a correction may change, with a reason."""

    reason = ReasonField()

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        for name in ("fear_modes", "fear_language", "tactics"):
            del self.fields[name]

    def changes(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "port": data.get("port", ""),
            "attempt_number": str(data.get("attempt_number") or ""),
            "fear_expressed": data["fear_expressed"],
            "outcome": data.get("outcome", ""),
        }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def correct_record(request: HttpRequest, slug: str, pseudonym: str, record: int) -> HttpResponse:
    membership = membership_with(request.user, slug, "record_accounts")
    person = _person(membership, pseudonym)
    found = get_object_or_404(Record.objects.select_related("source"), person=person, pk=record)
    identity = may(membership, "view_identity")
    form = RecordCorrectionForm(
        request.POST or None, project=membership.project, identity=identity, prefix="person"
    )
    if request.method == "GET":
        try:
            form.initial = _record_initial(membership, request, found, identity)
        except TestimonioError as error:  # over the hourly reveal limit, erased, no key
            return _page(request, membership, person, found, None, error=str(error))
    elif form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            do_correct_record(found, form.changes(), request.user, reason)
        except ValidationError as error:
            form.add_error(None, _refusal(error))
        except TestimonioError as error:  # the record was erased meanwhile, no key
            form.add_error(None, str(error))
        else:
            return _corrected(
                request, slug, person, gettext("Record %(number)s was corrected."), found.pk
            )
    return _page(request, membership, person, found, form)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def correct_encounter(
    request: HttpRequest, slug: str, pseudonym: str, encounter: int
) -> HttpResponse:
    membership = membership_with(request.user, slug, "record_accounts")
    person = _person(membership, pseudonym)
    found = get_object_or_404(
        Encounter.objects.select_related("port", "outcome", "project"), person=person, pk=encounter
    )
    form = EncounterCorrectionForm(
        request.POST or None, project=membership.project, prefix="encounter"
    )
    if request.method == "GET":
        form.initial = _encounter_initial(found)
    elif form.is_valid():
        try:
            do_correct_encounter(found, form.changes(), request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, _refusal(error))
        else:
            message = gettext("Encounter %(number)s was corrected.")
            return _corrected(request, slug, person, message, found.pk)
    return _page(request, membership, person, found, form)


def _refusal(error: ValidationError) -> str:
    column = error.column or ""
    if column in _REFUSALS:
        return str(_REFUSALS[column])
    return gettext("A value was refused (%(field)s). Check the answers and save again.") % {
        "field": column or "?"
    }


def _person(membership: Membership, pseudonym: str) -> Person:
    return get_object_or_404(
        Person, project=membership.project, pseudonym=pseudonym, erased_at__isnull=True
    )


def _record_initial(
    membership: Membership, request: HttpRequest, record: Record, identity: bool
) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "sex": record.sex,
        "gender_identity": record.gender_identity,
        "age_band": record.age_band,
        "nationality": record.nationality.code if record.nationality else "",
        "language": record.language.code if record.language else "",
    }
    if identity:
        (opened,) = reveal_for_member(membership, request.user, [record], reason="correction")
        initial.update({name: getattr(opened, name) for name in IDENTITY_FIELDS})
        initial.update(_date_initial("birth", opened.birth_date))
    return initial


def _encounter_initial(encounter: Encounter) -> dict[str, Any]:
    values = encounter_values(encounter)
    return {
        **{name: values[name] for name in ("port", "attempt_number", "fear_expressed", "outcome")},
        **_date_initial("date", values["date"]),
    }


def _date_initial(prefix: str, text: str) -> dict[str, Any]:
    parts = [int(part) for part in text.split("-")] if text else []
    names = [f"{prefix}_year", f"{prefix}_month", f"{prefix}_day"]
    return {
        name: str(value) if name.endswith("month") else value
        for name, value in zip(names, parts, strict=False)
    }


def _corrected(
    request: HttpRequest, slug: str, person: Person, message: str, number: int
) -> HttpResponse:
    messages.success(request, message % {"number": number})
    return redirect("cases:person_detail", slug=slug, pseudonym=person.pseudonym)


def _page(
    request: HttpRequest,
    membership: Membership,
    person: Person,
    target: Record | Encounter,
    form: forms.Form | None,
    *,
    error: str = "",
) -> HttpResponse:
    context = {
        "membership": membership,
        "project": membership.project,
        "person": person,
        "target": target,
        "is_record": isinstance(target, Record),
        "form": form,
        "error": error,
    }
    if form is not None:
        dated = ("_year", "_month", "_day")
        context["date_fields"] = [form[name] for name in form.fields if name.endswith(dated)]
        context["other_fields"] = [
            form[name] for name in form.fields if name != "reason" and not name.endswith(dated)
        ]
    return render(request, "cases/correct.html", context)
