from django.urls import path

from testimonio.web.intake import draft_views, views

app_name = "intake"
urlpatterns = [
    path("p/<slug:slug>/intake/new/", views.new_testimony, name="new"),
    path("p/<slug:slug>/intake/drafts/", draft_views.draft_list, name="drafts"),
    path("p/<slug:slug>/intake/drafts/<uuid:draft>/", draft_views.resume_draft, name="draft"),
    path(
        "p/<slug:slug>/intake/drafts/<uuid:draft>/discard/",
        draft_views.discard_draft,
        name="draft_discard",
    ),
    path("p/<slug:slug>/intake/<uuid:intake>/", views.testimony_saved, name="done"),
    path("p/<slug:slug>/cases/", views.case_list, name="cases"),
    path("p/<slug:slug>/cases/lookup/", views.lookup, name="lookup"),
]
