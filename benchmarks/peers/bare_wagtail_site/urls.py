from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

PAGE = engines["django"].from_string(
    "{% load wagtailcore_tags %}<!doctype html><title>{{ title }}</title>"
    "{% for n in numbers %}<p>{{ n }}</p>{% endfor %}"
)


def hello(request):
    """A trivial templated page: the floor of a request through the same middleware."""
    return HttpResponse(PAGE.render({"title": "Bare", "numbers": range(100)}, request))


urlpatterns = [
    path("hello/", hello),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include(wagtail_urls)),
]
