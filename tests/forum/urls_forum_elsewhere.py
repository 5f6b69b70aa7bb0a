"""The forum mounted at /discuss/ instead of /forum/, to show post URLs come from ``reverse``."""

from django.urls import include, path

urlpatterns = [path("discuss/", include("forum.urls"))]
