"""The forum demo data files are checked on load: each mistake names file, entry and key."""

import pytest

from demo.data_files import DemoDataError
from demo.forum import seed_demo_forum
from demo.forum_data import load_forum_demo_data
from forum.models import Thread

pytestmark = pytest.mark.django_db


def test_a_misspelt_key_in_the_forum_data_names_file_entry_and_key(demo_data):
    demo_data.edit("forum/threads.yaml", "  author: hiro\n", "  autor: hiro\n")
    assert demo_data.error(seed_demo_forum).startswith(
        "demo/data/forum/threads.yaml: entry 1 ('How do we explain non-revenue water to city "
        "councillors?'): unknown key 'autor' (did you mean 'author'?)"
    )
    assert not Thread.objects.exists()


def test_a_missing_key_in_the_forum_data_names_file_entry_and_key(demo_data):
    demo_data.edit("forum/categories.yaml", "  mode: discussion\n", "")
    assert demo_data.error(load_forum_demo_data) == (
        "demo/data/forum/categories.yaml: entry 2 ('customer-experience'): missing key 'mode'"
    )


def test_an_unknown_taxonomy_slug_in_the_forum_data_is_refused(demo_data):
    demo_data.edit(
        "forum/extra_threads.yaml",
        "  regions: [sub-saharan-africa]\n",
        "  regions: [sub-saharan-afrika]\n",
    )
    assert demo_data.error(load_forum_demo_data) == (
        "demo/data/forum/extra_threads.yaml: key threads[0] ('WhatsApp broadcast lists for "
        "service updates?').regions[0]: unknown region slug 'sub-saharan-afrika' "
        "(did you mean 'sub-saharan-africa'?)"
    )


def test_a_reply_by_an_unknown_author_is_refused_where_it_nests(demo_data):
    demo_data.edit("forum/threads.yaml", "    - author: hiro\n", "    - author: hiroo\n")
    assert demo_data.error(load_forum_demo_data) == (
        "demo/data/forum/threads.yaml: entry 1 ('How do we explain non-revenue water to city "
        "councillors?'), key replies[0].replies[0].author: unknown author (a key in "
        "authors.yaml) 'hiroo' (did you mean 'hiro'?)"
    )


def test_a_thread_in_an_unknown_category_is_refused(demo_data):
    demo_data.edit(
        "forum/login_threads.yaml", "- category: tariffs-and-billing\n", "- category: tariffs\n"
    )
    with pytest.raises(DemoDataError, match=r"login_threads\.yaml: entry 1 .*key category: "):
        load_forum_demo_data()
