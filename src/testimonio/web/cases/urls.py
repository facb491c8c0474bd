from django.urls import path

from testimonio.web.cases import export_views, import_views, views

app_name = "cases"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("p/<slug:slug>/", views.project_detail, name="project_detail"),
    path("p/<slug:slug>/people/<str:pseudonym>/", views.person_detail, name="person_detail"),
    path("p/<slug:slug>/vocabulary/", views.vocabulary, name="vocabulary"),
    path("p/<slug:slug>/export/", export_views.export, name="export"),
    path("p/<slug:slug>/imports/", import_views.imports, name="imports"),
    path("p/<slug:slug>/imports/<uuid:draft_uuid>/", import_views.preview, name="import_preview"),
    path(
        "p/<slug:slug>/imports/<uuid:draft_uuid>/mapping/",
        import_views.mapping,
        name="import_mapping",
    ),
    path(
        "p/<slug:slug>/imports/<uuid:draft_uuid>/mapping.yaml",
        import_views.profile_download,
        name="import_profile",
    ),
    path(
        "p/<slug:slug>/imports/<uuid:draft_uuid>/validation/",
        import_views.validation,
        name="import_validation",
    ),
    path(
        "p/<slug:slug>/imports/<uuid:draft_uuid>/report.xlsx",
        import_views.report,
        name="import_report",
    ),
]
