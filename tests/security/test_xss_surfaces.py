"""Every hostile input through every field that renders user text, via the real services and
views; the rendered output is parsed and must hold no script-capable construct.

The corpus (tests/security/hostile.py, >= 150 inputs) is batched: one thread with a reply per
input, one category with a thread per input, one member per input, so each surface renders in
a few page loads. Each test records how many inputs it pushed through which surface; the
session summary prints ``hostile inputs x surfaces`` (tests/security/conftest.py).
"""

import json
import uuid

import pytest
from django.urls import reverse

from members.models import User
from members.services.profiles import profile_update
from search.documents import PUBLIC, THREAD
from tests.factories.forum import CategoryFactory, make_reply, make_thread
from tests.factories.members import MemberFactory
from tests.factories.search import index_documents, search_document
from tests.security.hostile import (
    CORPUS,
    INPUTS,
    assert_no_script_capable_construct,
    record_surface,
)
from tests.security.pages import all_pages

pytestmark = pytest.mark.django_db

MARKER = "zebrafish"  # a word every hostile document shares, so one query finds them all


def test_corpus_has_at_least_150_distinct_hostile_inputs():
    assert len(CORPUS) >= 150
    assert len({v["name"] for v in CORPUS}) == len(CORPUS)
    kinds = " ".join(INPUTS).lower()
    for family in ("<svg", "<math", "javascript", "vbscript", "data:", "{{", "{%", "\r\n", "//"):
        assert family in kinds, family


def test_post_bodies_and_author_names_on_the_thread_page(client, hostile_authors):
    category = CategoryFactory(slug="hostile-posts")
    thread = make_thread(category=category, title="Hostile replies", body=INPUTS[0])
    for author, text in zip(hostile_authors, INPUTS, strict=True):
        make_reply(thread, author=author, body=text)
    for view in ("", "?view=chronological"):
        for html in all_pages(client, thread.get_absolute_url() + view):
            assert_no_script_capable_construct(html, f"thread page{view}")
    record_surface("forum post body (thread page)", len(INPUTS))
    record_surface("display name (post author)", len(INPUTS))
    member = MemberFactory()
    client.force_login(member)
    for html in all_pages(client, thread.get_absolute_url()):
        assert_no_script_capable_construct(html, "thread page, signed in")


def test_thread_titles_on_category_home_and_thread_pages(client):
    category = CategoryFactory(slug="hostile-titles")
    threads = [
        make_thread(category=category, title=(text.strip() or "x")[:200], body="Plain body.")
        for text in INPUTS
    ]
    for html in all_pages(client, category.get_absolute_url()):
        assert_no_script_capable_construct(html, "category page")
    assert_no_script_capable_construct(client.get(reverse("forum:home")).content.decode(), "home")
    for thread in threads:
        response = client.get(thread.get_absolute_url())
        assert response.status_code == 200
        assert_no_script_capable_construct(response.content.decode(), f"thread {thread.title!r}")
    record_surface("thread title (category, thread page)", len(INPUTS))


def test_profile_fields_on_the_directory_and_profile_pages(client, hostile_authors):
    client.force_login(MemberFactory())
    for html in all_pages(client, reverse("members:directory")):
        assert_no_script_capable_construct(html, "member directory")
    for author in hostile_authors:
        response = client.get(reverse("members:profile", args=[author.pk]))
        assert response.status_code == 200
        assert_no_script_capable_construct(response.content.decode(), f"profile {author.pk}")
    record_surface("profile bio, organisation, display name", len(INPUTS))


def test_profile_edit_form_echoes_hostile_input_safely(client):
    member = MemberFactory()
    client.force_login(member)
    for text in INPUTS[::5]:
        response = client.post(
            reverse("members:profile_edit"),
            {"display_name": text[:80], "organisation": text[:200], "bio": text},
        )
        assert response.status_code in (200, 302)
        page = client.get(reverse("members:profile_edit"))
        assert_no_script_capable_construct(page.content.decode(), "profile edit form")
    record_surface("profile edit form", len(INPUTS[::5]))


def test_markdown_preview_and_inline_reply_json(client, settings):
    # The reply limits are off in the test settings; said here because 257 replies from one
    # new member would be over them (tests/security/test_rate_limits.py tests the limits).
    settings.FORUM_RATE_LIMITS_ENABLED = False
    member = MemberFactory()
    client.force_login(member)
    thread = make_thread(title="Replies by JSON")
    first_post = thread.posts.get()
    for text in INPUTS:
        preview = client.post(reverse("forum:preview"), {"body": text})
        assert preview.status_code == 200
        assert_no_script_capable_construct(preview.json()["html"], "preview JSON")
    # As static/js/forum.js sends the inline reply form: FormData (body, parent,
    # submission_key) with ``Accept: application/json``; it inserts ``html`` with innerHTML.
    replied = refused = 0
    post_ids = set()
    for text in INPUTS:
        response = client.post(
            reverse("forum:reply", args=[thread.pk]),
            {"body": text, "parent": first_post.pk, "submission_key": str(uuid.uuid4())},
            HTTP_ACCEPT="application/json",
        )
        assert response["Content-Type"].startswith("application/json"), text
        if not text.strip() or "\x00" in text:
            # The form refuses a blank body and a NUL character (Django's CharField); the
            # refusal is JSON too, with a message the script shows.
            assert response.status_code == 400, text
            assert response.json()["error"]
            refused += 1
            continue
        assert response.status_code == 200, (text, response.content[:300])
        data = response.json()
        assert data["url"].startswith("/"), data["url"]
        post_ids.add(data["id"])
        assert_no_script_capable_construct(data["html"], f"reply JSON for {text!r}")
        replied += 1
    assert replied + refused == len(INPUTS)
    assert replied >= len(INPUTS) - 5
    # Inputs that differ only in surrounding whitespace are one reply (the duplicate guard
    # answers with the reply already made).
    assert thread.posts.count() == 1 + len(post_ids)
    assert len(post_ids) >= replied - 5
    record_surface("forum preview JSON", len(INPUTS))
    record_surface("inline reply JSON", replied)


def test_post_edit_history_page(client):
    author = MemberFactory()
    thread = make_thread(author=author, title="Edited")
    reply = make_reply(thread, author=author, body="first")
    from forum.services.posts import post_edit

    for text in INPUTS[:60]:
        reply = post_edit(editor=author, post=reply, body=text or "x", title=None)
        reply.refresh_from_db()
    client.force_login(author)
    response = client.get(reverse("forum:post_revisions", args=[reply.pk]))
    assert response.status_code == 200
    assert_no_script_capable_construct(response.content.decode(), "post history")
    record_surface("post edit history", 60)


def test_search_query_echo_on_the_results_page(client):
    index_documents(search_document(title=f"Known {MARKER}", summary="Plain."))
    for text in INPUTS:
        response = client.get(reverse("search:search"), {"q": text})
        assert response.status_code == 200, text
        assert_no_script_capable_construct(response.content.decode(), f"search page q={text!r}")
    record_surface("search query echo (results page)", len(INPUTS))


def hostile_documents():
    return index_documents(
        *[
            search_document(
                type=THREAD if number % 2 else "case_study",
                title=f"{MARKER} {text}"[:200],
                summary=f"{MARKER} {text}",
                body=f"{text} {MARKER} {text}",
                author=text[:80],
                visibility=(PUBLIC,),
            )
            for number, text in enumerate(INPUTS)
        ]
    )


def test_embedded_snippets_titles_and_suggestions_on_page_and_api(client):
    hostile_documents()
    seen = 0
    for page_number in range(1, 40):
        response = client.get(reverse("search:search"), {"q": MARKER, "page": page_number})
        if response.status_code != 200 or "search-result__snippet" not in response.content.decode():
            break
        assert_no_script_capable_construct(response.content.decode(), "search results page")
        data = client.get("/api/search/", {"q": MARKER, "page": page_number}).json()
        for result in data["results"]:
            assert_no_script_capable_construct(result["snippet"], "API snippet")
            seen += 1
    assert seen >= len(INPUTS) // 2
    for text in INPUTS[::3]:
        suggest = client.get("/api/search/suggest/", {"q": f"{MARKER} {text}"[:100]})
        assert suggest.status_code == 200
        assert suggest["Content-Type"].startswith("application/json")
        json.dumps(suggest.json())
        # Suggestions are plain text for the client to escape; the autocomplete script inserts
        # them with textContent (static/js/search-autocomplete.js).
    record_surface("search snippets + titles (embedded, page and API)", len(INPUTS))
    record_surface("search suggestions API", len(INPUTS[::3]))


def test_did_you_mean_with_hostile_queries(client):
    hostile_documents()
    for text in INPUTS[::2]:
        response = client.get(reverse("search:search"), {"q": f"zebrafsh {text}"})
        assert response.status_code == 200
        assert_no_script_capable_construct(response.content.decode(), "did you mean")
    record_surface("search did-you-mean", len(INPUTS[::2]))


def test_kb_submissions_preview_and_list(client):
    from tests.kb.test_submissions import case_study_data

    member = MemberFactory()
    client.force_login(member)
    fields = ("title", "summary", "organisation", "challenge", "objectives", "approach", "lessons")
    created = 0
    for start in range(0, len(INPUTS), len(fields)):
        chunk = INPUTS[start : start + len(fields)]
        values = {
            field: (text.strip() or "x")[:200] if field in ("title", "organisation") else text
            for field, text in zip(fields, chunk, strict=False)
        }
        response = client.post(
            reverse("kb:submission_new", args=["case-study"]),
            case_study_data(**values, action="save"),
        )
        assert response.status_code in (200, 302), response.status_code
        assert_no_script_capable_construct(response.content.decode(), "submission form")
        created += response.status_code == 302
    from kb.models import Submission

    for submission in Submission.objects.filter(author=member):
        response = client.get(reverse("kb:submission_preview", args=[submission.pk]))
        assert response.status_code == 200
        assert_no_script_capable_construct(response.content.decode(), "submission preview")
    assert created >= len(INPUTS) // len(fields) // 2
    assert_no_script_capable_construct(
        client.get(reverse("kb:submission_list")).content.decode(), "submission list"
    )
    record_surface("KB case-study submission (form, preview, list)", len(INPUTS))


def test_no_hostile_text_is_written_without_a_visible_public_name():
    # Every hostile display name still gives a readable public name (never empty).
    for text in INPUTS[:20]:
        user = MemberFactory()
        profile_update(user=user, display_name=(text.strip() or "x")[:80])
        assert User.objects.get(pk=user.pk).public_name.strip()
