"""Member submission pages, mounted at /contribute/ (KB pages themselves are Wagtail pages)."""

from django.urls import path

from kb.views import submissions

app_name = "kb"

urlpatterns = [
    path("", submissions.submission_list, name="submission_list"),
    path("new/<slug:kind>/", submissions.submission_new, name="submission_new"),
    path("<int:pk>/edit/", submissions.submission_edit, name="submission_edit"),
    path("<int:pk>/preview/", submissions.submission_preview, name="submission_preview"),
]
