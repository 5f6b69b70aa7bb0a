"""django-machina 1.3.1, as its "Getting started" documentation configures it, with the
benchmark suite's shared choices: DEBUG off, SQLite in WAL mode, the same hasher."""

from machina import MACHINA_MAIN_STATIC_DIR, MACHINA_MAIN_TEMPLATE_DIR
from peer_settings import *  # noqa: F403
from peer_settings import DJANGO_APPS, PEER_DIR, django_templates

SECRET_KEY = "benchmark-only-key-not-secret-machina-0123456789abcdefghijklmno"

INSTALLED_APPS = [
    *DJANGO_APPS,
    "mptt",
    "haystack",
    "widget_tweaks",
    "machina",
    "machina.apps.forum",
    "machina.apps.forum_conversation",
    "machina.apps.forum_conversation.forum_attachments",
    "machina.apps.forum_conversation.forum_polls",
    "machina.apps.forum_feeds",
    "machina.apps.forum_moderation",
    "machina.apps.forum_search",
    "machina.apps.forum_tracking",
    "machina.apps.forum_member",
    "machina.apps.forum_permission",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "machina.apps.forum_permission.middleware.ForumPermissionMiddleware",
]
TEMPLATES = django_templates(
    "machina.core.context_processors.metadata", dirs=[MACHINA_MAIN_TEMPLATE_DIR]
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "machina_attachments": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(PEER_DIR / "attachments-cache"),
    },
}
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
MACHINA_TOPIC_POSTS_NUMBER_PER_PAGE = 100
MACHINA_DEFAULT_AUTHENTICATED_USER_FORUM_PERMISSIONS = [
    "can_see_forum",
    "can_read_forum",
    "can_start_new_topics",
    "can_reply_to_topics",
    "can_edit_own_posts",
    "can_post_without_approval",
    "can_create_polls",
    "can_vote_in_polls",
    "can_download_file",
]
ROOT_URLCONF = "machina_site.urls"
WSGI_APPLICATION = "machina_site.wsgi.application"
STATICFILES_DIRS = [MACHINA_MAIN_STATIC_DIR]
