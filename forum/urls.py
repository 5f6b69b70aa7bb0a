from django.urls import path

from forum import feeds
from forum.views import browse, follows, moderation, posting, promotion, reads

app_name = "forum"

urlpatterns = [
    path("", browse.forum_home, name="home"),
    path("preview/", posting.preview, name="preview"),
    path("c/<slug:slug>/", browse.category_detail, name="category"),
    path("c/<slug:slug>/new/", posting.thread_new, name="thread_new"),
    path("c/<slug:slug>/mark-read/", reads.category_mark_read, name="category_mark_read"),
    path("unread/<int:pk>/", reads.thread_first_unread, name="thread_unread"),
    path("t/<int:pk>/", browse.thread_redirect, name="thread_short"),
    path("t/<int:pk>/reply/", posting.thread_reply, name="reply"),
    path("t/<int:pk>/unaccept/", posting.unaccept, name="unaccept"),
    path("t/<int:pk>/moderate/", moderation.thread_moderate, name="thread_moderate"),
    path("t/<int:pk>/moderate/state/", moderation.thread_state, name="thread_state"),
    path("t/<int:pk>/promote/", promotion.thread_promote, name="thread_promote"),
    path("t/<int:pk>/<str:slug>/", browse.thread_detail, name="thread"),
    path("p/<int:pk>/", browse.post_permalink, name="post"),
    path("p/<int:pk>/edit/", posting.post_edit_view, name="post_edit"),
    path("p/<int:pk>/history/", browse.post_revisions, name="post_revisions"),
    path("p/<int:pk>/quote/", posting.post_quote, name="post_quote"),
    path("p/<int:pk>/vote/", posting.vote, name="vote"),
    path("p/<int:pk>/accept/", posting.accept, name="accept"),
    path("feeds/c/<slug:slug>/", feeds.CategoryFeed(), name="category_feed"),
    path("feeds/topics/<slug:slug>/", feeds.TopicFeed(), name="topic_feed"),
    path("feeds/regions/<slug:slug>/", feeds.RegionFeed(), name="region_feed"),
    path("feeds/t/<int:pk>/", feeds.ThreadFeed(), name="thread_feed"),
    path("p/<int:pk>/flag/", moderation.post_flag, name="post_flag"),
    path("p/<int:pk>/moderate/", moderation.post_moderate, name="post_moderate"),
    path("moderation/", moderation.review_queue_view, name="review_queue"),
    path("moderation/log/", moderation.moderation_log_view, name="moderation_log"),
    path("moderation/members/<int:user_id>/", moderation.member_moderate, name="member_moderate"),
    path("following/", follows.following, name="following"),
    path("following/settings/", follows.following_settings, name="following_settings"),
    path("follow/thread/<int:pk>/mute/", follows.mute, name="thread_mute"),
    path("follow/thread/<int:pk>/unmute/", follows.unmute, name="thread_unmute"),
    path("follow/<str:kind>/<int:pk>/", follows.follow, name="follow"),
    path("unfollow/<str:kind>/<int:pk>/", follows.unfollow, name="unfollow"),
]
