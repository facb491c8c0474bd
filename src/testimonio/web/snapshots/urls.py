from django.urls import path

from testimonio.web.snapshots import views

app_name = "snapshots"
urlpatterns = [
    path("p/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("p/<slug:slug>/dashboard/behind/", views.figure_behind, name="figure_behind"),
    path(
        "p/<slug:slug>/people/<str:pseudonym>/named-plaintiff/",
        views.named_plaintiff,
        name="named_plaintiff",
    ),
]
