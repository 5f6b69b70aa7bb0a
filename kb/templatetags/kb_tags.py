"""Template helpers for KB pages: landing-page URLs, page-type labels and JSON-LD metadata."""

import json

from django import template
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from kb.models import KnowledgeIndexPage

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _index_url(context) -> str:
    """URL of the KB index page: the page being rendered when it is the index (its routes
    render with ``page`` set to it), else looked up once per request."""
    request = context.get("request")
    cached = getattr(request, "_kb_index_url", None) if request is not None else None
    if cached is not None:
        return cached
    index_page = context.get("page")
    if not isinstance(index_page, KnowledgeIndexPage):
        from kb.selectors import knowledge_index_page

        index_page = knowledge_index_page()
    url = index_page.get_url(request) if index_page is not None else None
    url = url or "/knowledge/"
    if request is not None:
        request._kb_index_url = url
    return url


def _route_url(context, name: str, **kwargs) -> str:
    """A KnowledgeIndexPage route's URL, reversed from the route's name (``reverse_subpage``
    needs no page instance: the routes belong to the class)."""
    index_url = _index_url(context)
    if not index_url.endswith("/"):
        index_url += "/"
    return index_url + KnowledgeIndexPage.get_resolver().reverse(name, **kwargs)


@register.simple_tag(takes_context=True)
def kb_index_url(context) -> str:
    return _index_url(context)


@register.simple_tag(takes_context=True)
def topic_url(context, topic) -> str:
    return _route_url(context, "topic", slug=topic.slug)


@register.simple_tag(takes_context=True)
def region_url(context, region) -> str:
    return _route_url(context, "region", slug=region.slug)


@register.simple_tag(takes_context=True)
def country_url(context, country) -> str:
    return f"{_index_url(context)}?country={country.slug}"


@register.filter
def page_kind(page) -> str:
    """ "Case study" or "Method guide" (translated), from the cached content type (no query)."""
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    return capfirst(model._meta.verbose_name) if model else ""


@register.filter
def page_kind_plural(page) -> str:
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    return capfirst(model._meta.verbose_name_plural) if model else ""


@register.filter
def page_kind_slug(page) -> str:
    """The page's type as the index's ``type`` filter spells it ("case-study"): never the
    translated name."""
    from kb.selectors import PAGE_TYPES

    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    return next((slug for slug, page_type in PAGE_TYPES.items() if page_type is model), "")


@register.simple_tag
def json_ld(data: dict) -> str:
    """A schema.org data block. It is data, not script, so the CSP does not apply to it;
    ``<``, ``>`` and ``&`` are escaped so content cannot close the element."""
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(encoded))  # noqa: S308
