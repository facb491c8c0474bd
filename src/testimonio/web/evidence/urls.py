from django.urls import path

from testimonio.web.evidence import views

app_name = "evidence"
urlpatterns = [
    path("p/<slug:slug>/documents/", views.documents, name="documents"),
    path("p/<slug:slug>/documents/<uuid:document_uuid>/", views.download, name="download"),
]
