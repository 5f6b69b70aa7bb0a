"""Parity of the analysis components our index settings use with production Elasticsearch.

On the local node these components come from our pcc-analysis plugin (tools/elasticsearch/),
on a production cluster from Elastic's analysis-common module. The expected tokens below are
written down from Elastic's reference documentation (the page is cited for each case), not
from the plugin's output, so a drift in the plugin shows up here. Where a page gives no output
for a parameter, the expectation follows the parameter's documented meaning and says so.

These tests also pass against a stock Elasticsearch 9 cluster (point ELASTICSEARCH_URL at one).
"""

import pytest
from elasticsearch import BadRequestError

pytestmark = pytest.mark.elasticsearch

DOCS = "https://www.elastic.co/docs/reference/text-analysis/"


def tokens(client, **request):
    return [t["token"] for t in client.indices.analyze(**request)["tokens"]]


def positions(client, **request):
    """Tokens grouped by position: [{'a', 'b'}, {'c'}, ...] (for graph/stacked output)."""
    by_position = {}
    for t in client.indices.analyze(**request)["tokens"]:
        by_position.setdefault(t["position"], set()).add(t["token"])
    return [by_position[p] for p in sorted(by_position)]


# (id, _analyze request, expected tokens, documentation page it comes from)
DOC_EXAMPLES = [
    (
        "asciifolding",
        {"tokenizer": "standard", "filter": ["asciifolding"], "text": "açaí à la carte"},
        ["acai", "a", "la", "carte"],
        "analysis-asciifolding-tokenfilter",
    ),
    (
        "edge_ngram filter, custom 1-2",
        {
            "tokenizer": "standard",
            "filter": [{"type": "edge_ngram", "min_gram": 1, "max_gram": 2}],
            "text": "the quick brown fox jumps",
        },
        ["t", "th", "q", "qu", "b", "br", "f", "fo", "j", "ju"],
        "analysis-edgengram-tokenfilter",
    ),
    (
        "ngram filter, built-in",
        {"tokenizer": "standard", "filter": ["ngram"], "text": "Quick fox"},
        ["Q", "Qu", "u", "ui", "i", "ic", "c", "ck", "k", "f", "fo", "o", "ox", "x"],
        "analysis-ngram-tokenfilter",
    ),
    (
        "edge_ngram tokenizer, built-in",
        {"tokenizer": "edge_ngram", "text": "Quick Fox"},
        ["Q", "Qu"],
        "analysis-edgengram-tokenizer",
    ),
    (
        "edge_ngram tokenizer, min 2 max 10 letter+digit",
        {
            "tokenizer": {
                "type": "edge_ngram",
                "min_gram": 2,
                "max_gram": 10,
                "token_chars": ["letter", "digit"],
            },
            "text": "2 Quick Foxes.",
        },
        ["Qu", "Qui", "Quic", "Quick", "Fo", "Fox", "Foxe", "Foxes"],
        "analysis-edgengram-tokenizer",
    ),
    (
        "ngram tokenizer, built-in",
        {"tokenizer": "ngram", "text": "Quick Fox"},
        [
            "Q",
            "Qu",
            "u",
            "ui",
            "i",
            "ic",
            "c",
            "ck",
            "k",
            "k ",
            " ",
            " F",
            "F",
            "Fo",
            "o",
            "ox",
            "x",
        ],
        "analysis-ngram-tokenizer",
    ),
    (
        "ngram tokenizer, trigrams letter+digit",
        {
            "tokenizer": {
                "type": "ngram",
                "min_gram": 3,
                "max_gram": 3,
                "token_chars": ["letter", "digit"],
            },
            "text": "2 Quick Foxes.",
        },
        ["Qui", "uic", "ick", "Fox", "oxe", "xes"],
        "analysis-ngram-tokenizer",
    ),
    (
        "stop, default _english_",
        {
            "tokenizer": "standard",
            "filter": ["stop"],
            "text": "a quick fox jumps over the lazy dog",
        },
        ["quick", "fox", "jumps", "over", "lazy", "dog"],
        "analysis-stop-tokenfilter",
    ),
    (
        "stemmer, default (porter)",
        {"tokenizer": "standard", "filter": ["stemmer"], "text": "the foxes jumping quickly"},
        ["the", "fox", "jump", "quickli"],
        "analysis-stemmer-tokenfilter",
    ),
    (
        "stemmer language english",
        {
            "tokenizer": "standard",
            "filter": [{"type": "stemmer", "language": "english"}],
            "text": "the foxes jumping quickly",
        },
        ["the", "fox", "jump", "quickli"],
        "analysis-stemmer-tokenfilter (english = porter_stem, see analysis-porterstem-tokenfilter)",
    ),
    (
        "porter_stem",
        {"tokenizer": "standard", "filter": ["porter_stem"], "text": "the foxes jumping quickly"},
        ["the", "fox", "jump", "quickli"],
        "analysis-porterstem-tokenfilter",
    ),
    (
        "kstem",
        {"tokenizer": "standard", "filter": ["kstem"], "text": "the foxes jumping quickly"},
        ["the", "fox", "jump", "quick"],
        "analysis-kstem-tokenfilter",
    ),
    (
        "stemmer language light_english",
        {
            "tokenizer": "standard",
            "filter": [{"type": "stemmer", "language": "light_english"}],
            "text": "the foxes jumping quickly",
        },
        ["the", "fox", "jump", "quick"],
        "analysis-kstem-tokenfilter (kstem is the stemmer filter's light_english variant)",
    ),
    (
        "keyword_marker before stemmer",
        {
            "tokenizer": "whitespace",
            "filter": [{"type": "keyword_marker", "keywords": ["jumping"]}, "stemmer"],
            "text": "fox running and jumping",
        },
        ["fox", "run", "and", "jumping"],
        "analysis-keyword-marker-tokenfilter",
    ),
]


@pytest.mark.parametrize(
    ("request_body", "expected", "page"),
    [pytest.param(req, exp, page, id=case) for case, req, exp, page in DOC_EXAMPLES],
)
def test_documented_examples(es_client, request_body, expected, page):
    assert tokens(es_client, **request_body) == expected, f"see {DOCS}{page.split()[0]}"


def test_asciifolding_preserve_original(es_client):
    # analysis-asciifolding-tokenfilter: "preserve_original: If true, emit both original tokens
    # and folded tokens." (no output listed; both tokens share the position).
    got = positions(
        es_client,
        tokenizer="standard",
        filter=[{"type": "asciifolding", "preserve_original": True}],
        text="açaí à la carte",
    )
    assert got == [{"acai", "açaí"}, {"a", "à"}, {"la"}, {"carte"}]


def test_possessive_english_stemmer(es_client):
    # analysis-stemmer-tokenfilter lists possessive_english (Lucene's EnglishPossessiveFilter:
    # removes a trailing 's).
    got = tokens(
        es_client,
        tokenizer="standard",
        filter=[{"type": "stemmer", "language": "possessive_english"}],
        text="the dog's bone",
    )
    assert got == ["the", "dog", "bone"]


def test_english_analyzer_equals_its_documented_rebuild(es_client, es_index):
    # analysis-lang-analyzer#english-analyzer documents the english analyzer as this custom
    # analyzer; both must give the same tokens. The expected list follows from that definition.
    index = es_index(
        settings={
            "analysis": {
                "filter": {
                    "english_stop": {"type": "stop", "stopwords": "_english_"},
                    "english_keywords": {"type": "keyword_marker", "keywords": ["example"]},
                    "english_stemmer": {"type": "stemmer", "language": "english"},
                    "english_possessive_stemmer": {
                        "type": "stemmer",
                        "language": "possessive_english",
                    },
                },
                "analyzer": {
                    "rebuilt_english": {
                        "tokenizer": "standard",
                        "filter": [
                            "english_possessive_stemmer",
                            "lowercase",
                            "english_stop",
                            "english_keywords",
                            "english_stemmer",
                        ],
                    }
                },
            }
        }
    )
    text = "The 2 QUICK Brown-Foxes jumped over the lazy dog's bone, for example."
    built_in = tokens(es_client, index=index, analyzer="english", text=text)
    rebuilt = tokens(es_client, index=index, analyzer="rebuilt_english", text=text)
    # The rebuild marks "example" as a keyword; the built-in stems it to "exampl".
    assert built_in[:-1] == rebuilt[:-1]
    assert built_in == [
        "2",
        "quick",
        "brown",
        "fox",
        "jump",
        "over",
        "lazi",
        "dog",
        "bone",
        "exampl",
    ]
    assert rebuilt[-1] == "example"


def test_english_analyzer_stopwords_parameter(es_client, es_index):
    # analysis-lang-analyzer: the language analyzers accept stopwords and stem_exclusion.
    index = es_index(
        settings={
            "analysis": {
                "analyzer": {
                    "my_english": {
                        "type": "english",
                        "stopwords": ["quick"],
                        "stem_exclusion": ["foxes"],
                    }
                }
            }
        }
    )
    got = tokens(es_client, index=index, analyzer="my_english", text="The quick foxes jumped")
    assert got == ["the", "foxes", "jump"]


# analysis-synonym-graph-tokenfilter, "Solr synonyms" section: these rules and their meaning
# (explicit "=>" mappings replace the input; comma lists are equivalent and expand both ways;
# repeated "=>" entries for one input merge).
SOLR_RULES = [
    "i-pod, i pod => ipod",
    "sea biscuit, sea biscit => seabiscuit",
    "universe , cosmos",
    "lol, laughing out loud",
    "foo => foo bar",
    "foo => baz",
]


def synonym_positions(client, text, **params):
    return positions(
        client,
        tokenizer="standard",
        filter=["lowercase", {"type": "synonym_graph", "synonyms": SOLR_RULES, **params}],
        text=text,
    )


def test_synonym_graph_equivalence_expands_both_ways(es_client):
    assert synonym_positions(es_client, "cosmos") == [{"cosmos", "universe"}]
    assert synonym_positions(es_client, "universe") == [{"cosmos", "universe"}]


def test_synonym_graph_explicit_mapping_replaces_input(es_client):
    assert synonym_positions(es_client, "sea biscit") == [{"seabiscuit"}]
    # The standard tokenizer splits "i-pod" into "i pod", which the rule maps to "ipod".
    assert synonym_positions(es_client, "the i-pod") == [{"the"}, {"ipod"}]


def test_synonym_graph_multi_word_is_a_graph(es_client):
    assert synonym_positions(es_client, "lol") == [{"lol", "laughing"}, {"out"}, {"loud"}]


def test_synonym_graph_merges_repeated_mappings(es_client):
    # "foo => foo bar" and "foo => baz" are equivalent to "foo => foo bar, baz".
    assert synonym_positions(es_client, "foo") == [{"foo", "baz"}, {"bar"}]


def test_synonym_graph_expand_false_maps_to_first(es_client):
    # expand: false turns "universe, cosmos" into "universe, cosmos => universe".
    assert synonym_positions(es_client, "cosmos", expand=False) == [{"universe"}]


def test_synonym_graph_lenient(es_client):
    # analysis-synonym-graph-tokenfilter, "lenient": a rule term removed by an earlier filter
    # (here a stop word) fails the filter unless lenient is true, which skips that term.
    chain = ["lowercase", {"type": "stop", "stopwords": ["bar"]}]
    rule = {"type": "synonym_graph", "synonyms": ["foo, bar => baz"]}
    with pytest.raises(BadRequestError, match="failed to build synonyms"):
        tokens(es_client, tokenizer="standard", filter=[*chain, rule], text="foo")
    lenient = {**rule, "lenient": True}
    assert tokens(es_client, tokenizer="standard", filter=[*chain, lenient], text="foo") == ["baz"]


def test_synonym_graph_lenient_in_wordnet_format(es_client):
    # analysis-synonym-graph-tokenfilter: "lenient" applies whatever the format; in WordNet
    # format ("format": "wordnet") one synset makes its words synonyms of each other.
    chain = ["lowercase", {"type": "stop", "stopwords": ["bar"]}]
    words = ("foo", "bar", "baz")
    synset = [f"s(100000001,{n},'{word}',n,1,0)." for n, word in enumerate(words, 1)]
    rule = {"type": "synonym_graph", "format": "wordnet", "synonyms": synset}
    with pytest.raises(BadRequestError, match="failed to build synonyms"):
        tokens(es_client, tokenizer="standard", filter=[*chain, rule], text="foo")
    lenient = {**rule, "lenient": True}
    found = positions(es_client, tokenizer="standard", filter=[*chain, lenient], text="foo")
    assert found == [{"foo", "baz"}]


def test_synonym_graph_as_search_analyzer(es_client, es_index):
    # The documented use: synonym_graph in the search analyzer only.
    index = es_index(
        settings={
            "analysis": {
                "filter": {"syn": {"type": "synonym_graph", "synonyms": SOLR_RULES}},
                "analyzer": {
                    "search_synonyms": {"tokenizer": "whitespace", "filter": ["lowercase", "syn"]}
                },
            }
        },
        mappings={
            "properties": {
                "title": {
                    "type": "text",
                    "analyzer": "standard",
                    "search_analyzer": "search_synonyms",
                }
            }
        },
    )
    es_client.index(index=index, id="1", document={"title": "Laughing out loud"}, refresh=True)
    hits = es_client.search(index=index, query={"match_phrase": {"title": "LOL"}})["hits"]
    assert hits["total"]["value"] == 1


def test_ngram_max_ngram_diff_is_enforced(es_client, es_index):
    # analysis-ngram-tokenfilter: index.max_ngram_diff (default 1) bounds max_gram - min_gram.
    settings = {"analysis": {"filter": {"g": {"type": "ngram", "min_gram": 3, "max_gram": 15}}}}
    with pytest.raises(BadRequestError, match="max_ngram_diff"):
        es_index(settings=settings)
    es_index(settings={**settings, "index": {"max_ngram_diff": 12}})


def test_wagtail_modelsearch_index_settings(es_client, es_index):
    """Wagtail's Elasticsearch backend settings (modelsearch) work unchanged on this node."""
    from modelsearch.backends.elasticsearchbase import ElasticsearchBaseSearchBackend

    index = es_index(settings=ElasticsearchBaseSearchBackend.settings["settings"])
    # edge_ngram filter 1..15 after asciifolding and lowercase (documented meaning of each).
    assert tokens(es_client, index=index, analyzer="edgengram_analyzer", text="Açaí Bowls") == [
        *["a", "ac", "aca", "acai"],
        *["b", "bo", "bow", "bowl", "bowls"],
    ]
    # ngram filter 3..15: every substring of 3+ characters, grouped by start offset.
    assert tokens(es_client, index=index, analyzer="ngram_analyzer", text="Search") == [
        *["sea", "sear", "searc", "search"],
        *["ear", "earc", "earch"],
        *["arc", "arch"],
        "rch",
    ]
    # edge_ngram tokenizer 2..15 (the legacy "side": "front" parameter is ignored).
    assert tokens(es_client, index=index, tokenizer="edgengram_tokenizer", text="Hub") == [
        "Hu",
        "Hub",
    ]


def test_root_endpoint_for_ping_and_info(es_client):
    # GET / and HEAD / (the rest-root module in stock Elasticsearch).
    assert es_client.ping()
    info = es_client.info()
    assert info["version"]["number"].split(".")[0] == "9"
    assert info["tagline"] == "You Know, for Search"
    assert info["cluster_name"]
