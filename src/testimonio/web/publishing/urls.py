from django.urls import path

from testimonio.web.publishing import views

app_name = "publishing"
urlpatterns = [
    path("p/<slug:slug>/publish/", views.index, name="index"),
    path("p/<slug:slug>/publish/evidence/", views.evidence, name="evidence"),
    path("p/<slug:slug>/publish/public/", views.public, name="public"),
    path("p/<slug:slug>/publish/approve/", views.approve, name="approve"),
    path("p/<slug:slug>/publish/jobs/<int:job_id>/", views.job, name="job"),
    path(
        "p/<slug:slug>/publish/jobs/<int:job_id>/download/", views.job_download, name="job_download"
    ),  # fmt: skip
]
