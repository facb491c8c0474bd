from django.urls import path

from testimonio.web.cases import correction_views, export_views, split_views, views
from testimonio.web.imports import urls as import_urls

app_name = "cases"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("p/<slug:slug>/", views.project_detail, name="project_detail"),
    path("p/<slug:slug>/people/<str:pseudonym>/", views.person_detail, name="person_detail"),
    path(
        "p/<slug:slug>/people/<str:pseudonym>/split/",
        split_views.split_person,
        name="person_split",
    ),
    path(
        "p/<slug:slug>/people/<str:pseudonym>/records/<int:record>/correct/",
        correction_views.correct_record,
        name="record_correct",
    ),
    path(
        "p/<slug:slug>/people/<str:pseudonym>/encounters/<int:encounter>/correct/",
        correction_views.correct_encounter,
        name="encounter_correct",
    ),
    path("p/<slug:slug>/vocabulary/", views.vocabulary, name="vocabulary"),
    path("p/<slug:slug>/export/", export_views.export, name="export"),
    *import_urls.urlpatterns,
]
