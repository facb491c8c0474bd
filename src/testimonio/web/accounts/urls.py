"""Account pages of a project (its members)."""

from django.urls import path

from testimonio.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("p/<slug:slug>/members/", views.members, name="members"),
]
