from django.urls import path

from testimonio.web.linking import views

app_name = "analyses"
urlpatterns = [
    path("p/<slug:slug>/linkage/", views.linkage, name="linkage"),
    path("p/<slug:slug>/linkage/jobs/<int:job_id>/", views.linkage_job, name="linkage_job"),
    path("p/<slug:slug>/linkage/review/", views.review_queue, name="review_queue"),
    path("p/<slug:slug>/linkage/review/<int:pair_id>/", views.review_pair, name="review_pair"),
]
