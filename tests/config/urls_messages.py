from django.urls import include, path

from tests.config.test_site_pages import _with_message

urlpatterns = [path("with-message/", _with_message), path("", include("config.urls"))]
