"""Smoke test: an elasticsearch.dsl Document with our analyzers, on a real node.

Bulk-indexes 1,000 documents, then checks a match query with highlighting, a terms
aggregation, a synonym hit (search-time synonym_graph) and an edge-ngram prefix hit.
"""

import pytest
from elasticsearch import helpers
from elasticsearch.dsl import Document, Integer, Keyword, Text, analyzer, token_filter

pytestmark = pytest.mark.elasticsearch

english_possessive = token_filter("pcc_possessive", "stemmer", language="possessive_english")
english_stop = token_filter("pcc_stop", "stop", stopwords="_english_")
english_stemmer = token_filter("pcc_stemmer", "stemmer", language="english")
folding = token_filter("pcc_folding", "asciifolding", preserve_original=True)
synonyms = token_filter(
    "pcc_synonyms",
    "synonym_graph",
    synonyms=[
        "ngo, non-governmental organisation",
        "universe, cosmos",
        "press release => announcement",
    ],
)
prefixes = token_filter("pcc_prefixes", "edge_ngram", min_gram=2, max_gram=20)

# Index time: no synonyms (they belong in the search analyzer, so rules can change without
# reindexing). Search time: the same chain with synonym_graph before the stop words and stemmer.
text_index = analyzer(
    "pcc_text",
    tokenizer="standard",
    filter=[english_possessive, "lowercase", folding, english_stop, english_stemmer],
)
text_search = analyzer(
    "pcc_text_search",
    tokenizer="standard",
    filter=[english_possessive, "lowercase", folding, synonyms, english_stop, english_stemmer],
)
prefix_index = analyzer(
    "pcc_prefix", tokenizer="standard", filter=["lowercase", "asciifolding", prefixes]
)
prefix_search = analyzer(
    "pcc_prefix_search", tokenizer="standard", filter=["lowercase", "asciifolding"]
)


class Article(Document):
    title = Text(
        analyzer=text_index,
        search_analyzer=text_search,
        fields={"prefix": Text(analyzer=prefix_index, search_analyzer=prefix_search)},
    )
    body = Text(analyzer=text_index, search_analyzer=text_search)
    category = Keyword()
    number = Integer()

    class Index:
        name = "pcc-test-smoke"  # replaced by a unique name in Article.init(index=...)
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


CATEGORIES = ["guidance", "news", "policy", "event"]
TOPICS = ["budget", "consultation", "survey", "newsletter", "campaign", "helpline", "website"]


def make_articles(n=1000):
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        yield Article(
            meta={"id": i},
            title=f"{topic.title()} update number {i}",
            body=f"Notes about the {topic} for item {i}. Our team reviewed the figures.",
            category=CATEGORIES[i % len(CATEGORIES)],
            number=i,
        )
    # A few hand-written documents for the specific checks.
    yield Article(
        meta={"id": "jump"},
        title="Jumping foxes",
        body="The quick brown foxes jumped over the lazy dog's kennel.",
        category="news",
        number=n,
    )
    yield Article(
        meta={"id": "cosmos"},
        title="Exploring the cosmos",
        body="A public talk about the cosmos and our place in it.",
        category="event",
        number=n + 1,
    )
    yield Article(
        meta={"id": "announcement"},
        title="Our latest announcement",
        body="An announcement on café opening hours.",
        category="news",
        number=n + 2,
    )
    yield Article(
        meta={"id": "handbook"},
        title="Kommunikationshandbuch: communications handbook",
        body="How we write.",
        category="guidance",
        number=n + 3,
    )


@pytest.fixture(scope="module")
def articles(es_client):
    """One index with 1,004 documents for all the checks below (deleted afterwards)."""
    from tests.search.conftest import IndexFactory

    factory = IndexFactory(es_client)
    name = factory.name("smoke")
    Article.init(index=name, using=es_client)

    actions = (
        {"_index": name, "_id": doc.meta.id, "_source": doc.to_dict()} for doc in make_articles()
    )
    indexed, errors = helpers.bulk(es_client, actions, chunk_size=500, refresh="wait_for")
    assert (indexed, errors) == (1004, [])
    yield name
    factory.cleanup()


def search(es_client, index):
    return Article.search(using=es_client, index=index)


def test_bulk_indexed_everything(es_client, articles):
    assert es_client.count(index=articles)["count"] == 1004
    mapping = es_client.indices.get_mapping(index=articles)[articles]["mappings"]
    assert mapping["properties"]["title"]["search_analyzer"] == "pcc_text_search"


def test_match_query_with_highlighting(es_client, articles):
    # "jumping" is stemmed to "jump" at search time and matches "jumped" in the body.
    response = (
        search(es_client, articles)
        .query("match", body="jumping")
        .highlight("body", pre_tags=["<em>"], post_tags=["</em>"])
        .execute()
    )
    assert [hit.meta.id for hit in response] == ["jump"]
    fragment = response[0].meta.highlight.body[0]
    assert "<em>jumped</em>" in fragment
    assert "<em>foxes</em>" not in fragment


def test_match_query_is_accent_insensitive(es_client, articles):
    response = search(es_client, articles).query("match", body="cafe").execute()
    assert [hit.meta.id for hit in response] == ["announcement"]


def test_terms_aggregation(es_client, articles):
    s = search(es_client, articles).extra(size=0)
    s.aggs.bucket("by_category", "terms", field="category")
    buckets = {b.key: b.doc_count for b in s.execute().aggregations.by_category.buckets}
    assert buckets == {"guidance": 251, "news": 252, "policy": 250, "event": 251}


def test_synonym_hit(es_client, articles):
    # "universe, cosmos": a search for "universe" finds the document that only says "cosmos".
    response = search(es_client, articles).query("match", title="universe").execute()
    assert [hit.meta.id for hit in response] == ["cosmos"]
    # "press release => announcement", a multi-word rule through the graph.
    response = search(es_client, articles).query("match_phrase", title="press release").execute()
    assert [hit.meta.id for hit in response] == ["announcement"]


def test_edge_ngram_prefix_hit(es_client, articles):
    response = search(es_client, articles).query("match", title__prefix="commun").execute()
    assert [hit.meta.id for hit in response] == ["handbook"]
    # The prefix of a bulk-indexed topic finds all of its 143 documents (1000 / 7 topics).
    count = search(es_client, articles).query("match", title__prefix="consul").count()
    assert count == 143
