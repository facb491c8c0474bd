"""Project setup pages: create a project (instance administrators), its settings and its
sources (the project's administrators). Writes go through actions; forms check first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from testimonio.errors import TestimonioError
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import is_instance_admin
from testimonio.web.cases.actions import do_create_project, do_create_source
from testimonio.web.cases.models import Source
from testimonio.web.projects.access import for_administrators, refused
from testimonio.web.projects.actions import (
    do_update_project_settings,
    do_update_source,
    has_records,
)
from testimonio.web.projects.forms import ProjectCreateForm, ProjectSettingsForm, SourceForm

VOCABULARY_LOCKED = gettext_lazy(
    "The vocabulary version cannot change once the project has records: their codings "
    "belong to the version they were made in."
)


@login_required
@require_http_methods(["GET", "POST"])
def create_project(request: HttpRequest) -> HttpResponse:
    """A new project; its creator becomes its administrator."""
    if not is_instance_admin(request.user):
        return refused(request, None, "create_project")
    form = ProjectCreateForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        project = do_create_project(
            data["name"], data["vocabulary"], request.user, slug=data["slug"],
            publication_threshold=data["publication_threshold"],
        )  # fmt: skip
        messages.success(request, _("Project created. Add its sources and members next."))
        return redirect("cases:project_detail", slug=project.slug)
    return render(request, "projects/create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@for_administrators("manage_project")
def project_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    project = membership.project
    initial = {"name": project.name, "vocabulary": project.vocabulary,
               "publication_threshold": project.publication_threshold}  # fmt: skip
    form = ProjectSettingsForm(request.POST or None, initial=initial)
    locked = has_records(project)
    if form.is_valid():
        data = form.cleaned_data
        if locked and data["vocabulary"] != project.vocabulary:
            form.add_error("vocabulary", VOCABULARY_LOCKED)
        else:
            changes = do_update_project_settings(project, request.user, **data)
            messages.success(request, _("Settings saved.") if changes else _("Nothing changed."))
            return redirect("projects:settings", slug=project.slug)
    context = {"project": project, "membership": membership, "form": form, "locked": locked}
    return render(request, "projects/settings.html", context)


@require_http_methods(["GET", "POST"])
@for_administrators("manage_project")
def sources(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The project's sources (the lists estimation counts), and a form to add one."""
    project = membership.project
    form = SourceForm(request.POST or None, project=project)
    if form.is_valid():
        data = form.cleaned_data
        do_create_source(project, data["name"], request.user, kind=data["kind"],
                         description=data["description"])  # fmt: skip
        messages.success(request, _("Source added."))
        return redirect("projects:sources", slug=project.slug)
    context = {
        "project": project,
        "membership": membership,
        "form": form,
        "sources": Source.objects.filter(project=project).order_by("name"),
    }
    return render(request, "projects/sources.html", context)


@require_http_methods(["GET", "POST"])
@for_administrators("manage_project")
def source_edit(request: HttpRequest, membership: Membership, source_id: int) -> HttpResponse:
    project = membership.project
    source = get_object_or_404(Source, project=project, pk=source_id)
    initial = {"name": source.name, "description": source.description}
    form = SourceForm(request.POST or None, project=project, source=source, initial=initial)
    if form.is_valid():
        try:
            do_update_source(source, request.user, **form.cleaned_data)
        except TestimonioError:  # a check the form missed: say so, save nothing
            form.add_error(None, _("This source could not be saved; check the fields."))
        else:
            messages.success(request, _("Source saved."))
            return redirect("projects:sources", slug=project.slug)
    context = {"project": project, "membership": membership, "form": form, "source": source}
    return render(request, "projects/source_edit.html", context)
