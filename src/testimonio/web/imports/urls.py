"""The import's pages. :mod:`testimonio.web.cases.urls` mounts them, so their names stay
``cases:imports``, ``cases:import_preview``, ... as before the imports app was split out."""

from django.urls import path

from testimonio.web.imports import views

urlpatterns = [
    path("p/<slug:slug>/imports/", views.imports, name="imports"),
    path("p/<slug:slug>/imports/<uuid:draft_uuid>/", views.preview, name="import_preview"),
    path("p/<slug:slug>/imports/<uuid:draft_uuid>/mapping/", views.mapping, name="import_mapping"),
    path(
        "p/<slug:slug>/imports/<uuid:draft_uuid>/mapping.yaml",
        views.profile_download,
        name="import_profile",
    ),
    path(
        "p/<slug:slug>/imports/<uuid:draft_uuid>/validation/",
        views.validation,
        name="import_validation",
    ),
    path("p/<slug:slug>/imports/<uuid:draft_uuid>/report.xlsx", views.report, name="import_report"),
]
