"""Routes of the JSON API, mounted at /api/ by config/urls.py (namespace ``search_api``)."""

from django.urls import path

from search import api

app_name = "search_api"

urlpatterns = [
    path("search/", api.search, name="search"),
    path("search/suggest/", api.suggest, name="suggest"),
    path("search/related/<str:doc_id>/", api.related, name="related"),
    path("schema/", api.schema, name="schema"),
]
