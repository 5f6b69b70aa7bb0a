"""Site-wide views: the health probe and the styled error pages."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader


def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database readiness for load balancers; never cached."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    response = JsonResponse({"status": "ok"})
    response["Cache-Control"] = "no-store"
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render without a RequestContext: context processors may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"SITE_NAME": settings.SITE_NAME}), status=500)
