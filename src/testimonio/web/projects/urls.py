"""Project setup: a new project, and each project's settings and sources."""

from django.urls import path

from testimonio.web.projects import views

app_name = "projects"
urlpatterns = [
    path("projects/new/", views.create_project, name="create"),
    path("p/<slug:slug>/settings/", views.project_settings, name="settings"),
    path("p/<slug:slug>/sources/", views.sources, name="sources"),
    path("p/<slug:slug>/sources/<int:source_id>/", views.source_edit, name="source_edit"),
]
