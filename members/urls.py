from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
]
