"""KB views: the index and landing pages (served through KnowledgeIndexPage routes) and the
front-end submission pages."""

from kb.views.listing import knowledge_index, region_landing, region_list, topic_landing, topic_list

__all__ = ["knowledge_index", "region_landing", "region_list", "topic_landing", "topic_list"]
