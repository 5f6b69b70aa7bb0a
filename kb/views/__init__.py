"""KB views outside the page tree: the front-end submission pages (kb.views.submissions).

The index and the topic and region landing pages are KnowledgeIndexPage routes.
"""
