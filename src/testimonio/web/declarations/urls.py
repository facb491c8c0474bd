from django.urls import path

from testimonio.web.declarations import views

app_name = "declarations"
urlpatterns = [
    path("p/<slug:slug>/declarations/", views.declaration_list, name="list"),
    path("p/<slug:slug>/declarations/agreement/", views.agreement, name="agreement"),
    path("p/<slug:slug>/declarations/search/", views.search, name="search"),
    path("p/<slug:slug>/declarations/coding-policy/", views.coding_policy, name="coding_policy"),
    path(
        "p/<slug:slug>/declarations/<int:declaration_id>/", views.declaration_detail, name="detail"
    ),
    path(
        "p/<slug:slug>/declarations/<int:declaration_id>/code/<int:number>/",
        views.code_paragraph,
        name="code",
    ),
]
