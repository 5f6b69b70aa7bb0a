"""Index and landing views. KnowledgeIndexPage's routes call these; reads are in kb.selectors."""

from django.http import HttpRequest
from django.template.response import TemplateResponse

from kb.models import KnowledgeIndexPage
from kb.selectors import (
    knowledge_listing,
    region_countries_with_counts,
    taxonomy_with_counts,
    topic_tree_with_counts,
)
from taxonomy.models import Region, Topic


def _page_context(index_page: KnowledgeIndexPage, **extra) -> dict:
    return {"page": index_page, "self": index_page, "index_page": index_page, **extra}


def knowledge_index(request: HttpRequest, *, index_page: KnowledgeIndexPage):
    listing = knowledge_listing(query=request.GET, index_page=index_page)
    return TemplateResponse(
        request,
        "kb/knowledge_index_page.html",
        _page_context(index_page, listing=listing),
    )


def topic_list(request: HttpRequest, *, index_page: KnowledgeIndexPage):
    return TemplateResponse(
        request,
        "kb/topic_list.html",
        _page_context(index_page, topics=topic_tree_with_counts(index_page)),
    )


def region_list(request: HttpRequest, *, index_page: KnowledgeIndexPage):
    regions = taxonomy_with_counts(Region, index_page).order_by("sort_order", "name")
    return TemplateResponse(
        request, "kb/region_list.html", _page_context(index_page, regions=regions)
    )


def topic_landing(request: HttpRequest, *, index_page: KnowledgeIndexPage, topic: Topic):
    listing = knowledge_listing(
        query=request.GET, index_page=index_page, base_filters={"topic": topic}
    )
    return TemplateResponse(
        request,
        "kb/landing_page.html",
        _page_context(
            index_page,
            listing=listing,
            term=topic,
            term_kind="topic",
            parent_topic=topic.parent,
            sub_topics=list(topic.children.all()),
        ),
    )


def region_landing(request: HttpRequest, *, index_page: KnowledgeIndexPage, region: Region):
    listing = knowledge_listing(
        query=request.GET, index_page=index_page, base_filters={"region": region}
    )
    return TemplateResponse(
        request,
        "kb/landing_page.html",
        _page_context(
            index_page,
            listing=listing,
            term=region,
            term_kind="region",
            countries=region_countries_with_counts(region, index_page),
        ),
    )
