"""A URL configuration for tests: the real one plus a view that fails with a canary in its error."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from testimonio.web.urls import urlpatterns as real_urlpatterns

CANARY = "Canarito Zzyzxq"


def failing_view(request: HttpRequest) -> HttpResponse:
    raise ValueError(f"could not parse name {CANARY!r} from {request.POST.get('name', '')}")


urlpatterns = [*real_urlpatterns, path("explode/", failing_view)]
