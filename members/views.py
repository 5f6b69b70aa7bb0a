from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = request.user.notifications.select_related("actor")[:50]
    return render(request, "members/notification_list.html", {"notifications": notifications})
