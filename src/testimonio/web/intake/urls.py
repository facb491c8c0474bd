from django.urls import path

from testimonio.web.intake import views

app_name = "intake"
urlpatterns = [
    path("p/<slug:slug>/intake/new/", views.new_testimony, name="new"),
    path("p/<slug:slug>/intake/<uuid:intake>/", views.testimony_saved, name="done"),
    path("p/<slug:slug>/cases/", views.case_list, name="cases"),
    path("p/<slug:slug>/cases/lookup/", views.lookup, name="lookup"),
]
