from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forum_home(request: HttpRequest) -> HttpResponse:
    """Forum front page. Categories arrive with the forum-core issue."""
    return render(request, "forum/home.html", {})
