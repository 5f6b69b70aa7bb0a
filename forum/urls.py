from django.urls import path

from forum.views import browse, follows, posting

app_name = "forum"

urlpatterns = [
    path("", browse.forum_home, name="home"),
    path("preview/", posting.preview, name="preview"),
    path("c/<slug:slug>/", browse.category_detail, name="category"),
    path("c/<slug:slug>/new/", posting.thread_new, name="thread_new"),
    path("t/<int:pk>/", browse.thread_redirect, name="thread_short"),
    path("t/<int:pk>/reply/", posting.thread_reply, name="reply"),
    path("t/<int:pk>/unaccept/", posting.unaccept, name="unaccept"),
    path("t/<int:pk>/<str:slug>/", browse.thread_detail, name="thread"),
    path("p/<int:pk>/", browse.post_permalink, name="post"),
    path("p/<int:pk>/edit/", posting.post_edit_view, name="post_edit"),
    path("p/<int:pk>/history/", browse.post_revisions, name="post_revisions"),
    path("p/<int:pk>/quote/", posting.post_quote, name="post_quote"),
    path("p/<int:pk>/vote/", posting.vote, name="vote"),
    path("p/<int:pk>/accept/", posting.accept, name="accept"),
    path("following/", follows.following, name="following"),
    path("following/settings/", follows.following_settings, name="following_settings"),
    path("follow/thread/<int:pk>/mute/", follows.mute, name="thread_mute"),
    path("follow/thread/<int:pk>/unmute/", follows.unmute, name="thread_unmute"),
    path("follow/<str:kind>/<int:pk>/", follows.follow, name="follow"),
    path("unfollow/<str:kind>/<int:pk>/", follows.unfollow, name="unfollow"),
]
