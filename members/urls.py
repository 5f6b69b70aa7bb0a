from django.urls import path

from members import unsubscribe_views, views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:user_id>/", views.profile_detail, name="profile"),
    path("welcome/", views.welcome, name="welcome"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("notifications/", views.notification_list, name="notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
    path("notifications/read-all/", views.notification_read_all, name="notifications_read_all"),
    path("suspension/", views.suspension, name="suspension"),
    path("unsubscribe/<str:token>/", unsubscribe_views.unsubscribe, name="unsubscribe"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/export/", views.data_export, name="data_export"),
    path("privacy/delete/", views.account_delete_confirm, name="account_delete"),
    path("verify/resend/", views.verification_resend, name="verification_resend"),
]
