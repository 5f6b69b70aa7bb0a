"""Root URLconf. Wagtail's page serving comes last: it catches every remaining path."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from config import views
from forum.sitemaps import FORUM_SITEMAPS

# The strings of static/js/*.js in the active language (gettext()/ngettext()/interpolate()).
# The catalogue changes only with a deployment; each language is cached apart (the cache key
# holds the active language) and browsers keep it for a day.
JAVASCRIPT_CATALOGUE_MAX_AGE = 60 * 60 * 24
javascript_catalogue = cache_page(JAVASCRIPT_CATALOGUE_MAX_AGE, key_prefix="jsi18n")(
    JavaScriptCatalog.as_view()
)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("forum/", include("forum.urls")),
    path("search/", include("search.urls")),
    path("api/", include("search.api_urls")),
    path("contribute/", include("kb.urls")),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"wagtail": WagtailSitemap, **FORUM_SITEMAPS}},
        name="sitemap",
    ),
    path("healthz", views.health, name="health"),
    path("jsi18n/", javascript_catalogue, name="javascript-catalog"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
