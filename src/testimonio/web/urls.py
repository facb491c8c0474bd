"""URL map: one include per feature app. URLs carry ids and pseudonyms, never names."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from testimonio.web.accounts.two_factor import two_factor

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", two_factor, name="two_factor"),
    # Django's set_language (POST only): the header's language switch; it sets a cookie.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("testimonio.web.cases.urls")),
    path("", include("testimonio.web.evidence.urls")),
    path("", include("testimonio.web.declarations.urls")),
    path("", include("testimonio.web.linking.urls")),
    path("", include("testimonio.web.snapshots.urls")),
    path("", include("testimonio.web.publishing.urls")),
    path("", include("testimonio.web.intake.urls")),
    path("", include("testimonio.web.accounts.urls")),
    path("", include("testimonio.web.projects.urls")),
]
