"""Splitting a person whose records are several people (attorneys and administrators only).

The page lists the person's records by source and non-identifying attributes (no identity:
who may split may also reveal identities on the person page, which is audited there); the
user puts each record in the group it belongs to and gives a reason from a fixed list (never
free text, which could carry a name). :func:`do_split_person` does the rest.
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

from testimonio.errors import TestimonioError
from testimonio.linkage import describe_disagreements
from testimonio.web.accounts.permissions import membership_with
from testimonio.web.cases.actions import do_split_person
from testimonio.web.cases.models import Encounter, Person, Record, SplitReason

_GROUP_NAMES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class SplitForm(forms.Form):
    """One choice per record (stays, or new person A, B, ...) and the reason."""

    reason = forms.ChoiceField(choices=SplitReason.choices, label=gettext_lazy("Why"))

    def __init__(self, records: list[Record], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("0", gettext("stays"))] + [
            (str(number), gettext("new person %(group)s") % {"group": _GROUP_NAMES[number - 1]})
            for number in range(1, min(len(records), len(_GROUP_NAMES)))
        ]
        for record in records:
            self.fields[f"record_{record.pk}"] = forms.ChoiceField(
                choices=choices,
                initial="0",
                required=False,
                label=gettext("record %(number)s") % {"number": record.pk},
            )
        self.records = records

    def record_groups(self) -> list[list[int]]:
        """The records of each new person (in the order A, B, ...)."""
        groups: dict[int, list[int]] = {}
        for record in self.records:
            number = int(self.cleaned_data[f"record_{record.pk}"] or 0)  # left out: stays
            if number:
                groups.setdefault(number, []).append(record.pk)
        return [groups[number] for number in sorted(groups)]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def split_person(request: HttpRequest, slug: str, pseudonym: str) -> HttpResponse:
    membership = membership_with(request.user, slug, "split_persons")
    person = get_object_or_404(
        Person, project=membership.project, pseudonym=pseudonym, erased_at__isnull=True
    )
    records = list(Record.objects.filter(person=person).select_related("source", "nationality"))
    form = SplitForm(records, request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            created = do_split_person(
                person, form.record_groups(), request.user, form.cleaned_data["reason"]
            )
        except TestimonioError as failure:
            error = str(failure)
        else:
            names = ", ".join(new.pseudonym for new in created)
            messages.success(
                request,
                gettext("%(pseudonym)s was split; new: %(names)s.")
                % {"pseudonym": person.pseudonym, "names": names},
            )
            return redirect("cases:person_detail", slug=slug, pseudonym=person.pseudonym)
    context = {
        "membership": membership,
        "project": membership.project,
        "person": person,
        "rows": [(record, form[f"record_{record.pk}"], _encounters(record)) for record in records],
        "form": form,
        "reasons": describe_disagreements(person.disagreements),
        "error": error,
    }
    return render(request, "cases/person_split.html", context)


def _encounters(record: Record) -> list[Encounter]:
    return list(Encounter.objects.filter(record=record).select_related("port"))
