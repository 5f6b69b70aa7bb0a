"""The KB index: filters (AND), facet counts, pagination, notices, constant query count."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.factories import kb as f

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".kb-card__title a")]


def facet_counts(response, key: str) -> dict[str, int]:
    soup = BeautifulSoup(response.content, "html.parser")
    counts = {}
    for box in soup.select(f'input[name="{key}"]'):
        label = soup.select_one(f'label[for="{box["id"]}"]').get_text(" ", strip=True)
        counts[box["value"]] = int(re.search(r"\((\d+)", label).group(1))
    return counts


@pytest.fixture
def corpus():
    return {
        "kenya_sms": f.case_study(
            title="Kenya SMS outage alerts",
            topics=("risk-and-crisis-communication", "sms-and-text-messaging"),
            regions=("sub-saharan-africa",),
            countries=("KE",),
            audiences=("residential-customers",),
            channels=("sms",),
            year=2022,
        ),
        "mexico_trust": f.case_study(
            title="Mexico tap water trust",
            topics=("water-quality-and-public-health",),
            regions=("latin-america-and-the-caribbean",),
            countries=("MX",),
            audiences=("communities",),
            channels=("radio-and-tv",),
            year=2023,
        ),
        "nz_drought": f.case_study(
            title="New Zealand drought campaign",
            topics=("behaviour-change-and-conservation", "risk-and-crisis-communication"),
            regions=("australia-and-new-zealand",),
            countries=("NZ",),
            audiences=("residential-customers",),
            channels=("social-media", "sms"),
            year=2023,
        ),
        "guide": f.method_guide(
            title="Running a drought campaign",
            topics=("behaviour-change-and-conservation",),
            regions=("global",),
            channels=("social-media",),
            year=2024,
        ),
    }


def test_index_lists_live_pages_newest_first(client, corpus):
    f.case_study(title="Unpublished draft", live=False)
    response = client.get("/knowledge/")
    assert response.status_code == 200
    assert titles(response) == [
        "Kenya SMS outage alerts",
        "Mexico tap water trust",
        "New Zealand drought campaign",
        "Running a drought campaign",
    ]


def test_each_filter_narrows_the_list(client, corpus):
    cases = {
        "topic=risk-and-crisis-communication": {
            "Kenya SMS outage alerts",
            "New Zealand drought campaign",
        },
        "region=latin-america-and-the-caribbean": {"Mexico tap water trust"},
        "country=new-zealand": {"New Zealand drought campaign"},
        "audience=communities": {"Mexico tap water trust"},
        "channel=social-media": {"New Zealand drought campaign", "Running a drought campaign"},
        "type=method-guide": {"Running a drought campaign"},
        "year=2023": {"Mexico tap water trust", "New Zealand drought campaign"},
    }
    for query, expected in cases.items():
        assert set(titles(client.get(f"/knowledge/?{query}"))) == expected, query


def test_filters_combine_with_and(client, corpus):
    response = client.get("/knowledge/?channel=sms&year=2023")
    assert titles(response) == ["New Zealand drought campaign"]
    response = client.get(
        "/knowledge/?topic=risk-and-crisis-communication&topic=behaviour-change-and-conservation"
    )
    assert titles(response) == ["New Zealand drought campaign"]
    response = client.get("/knowledge/?type=case-study&region=global")
    assert titles(response) == []
    assert "No pages match these filters" in response.content.decode()


def test_top_level_topic_includes_its_sub_topics(client, corpus):
    response = client.get("/knowledge/?topic=digital-channels")
    assert titles(response) == ["Kenya SMS outage alerts"]


def test_facet_counts_describe_the_current_results(client, corpus):
    response = client.get("/knowledge/")
    assert facet_counts(response, "type") == {"case-study": 3, "method-guide": 1}
    assert facet_counts(response, "year") == {"2024": 1, "2023": 2, "2022": 1}
    topics = facet_counts(response, "topic")
    assert topics["risk-and-crisis-communication"] == 2
    assert topics["digital-channels"] == 1  # rolled up from its sub-topic
    assert topics["sms-and-text-messaging"] == 1
    assert "tariffs-and-investment" not in topics  # values with no pages are hidden

    response = client.get("/knowledge/?channel=sms")
    assert facet_counts(response, "region") == {
        "sub-saharan-africa": 1,
        "australia-and-new-zealand": 1,
    }
    assert facet_counts(response, "channel") == {"social-media": 1, "sms": 2}


def test_selected_values_stay_checked_and_can_be_removed(client, corpus):
    response = client.get("/knowledge/?region=oceania")
    soup = BeautifulSoup(response.content, "html.parser")
    box = soup.select_one('input[name="region"][value="oceania"]')
    assert box is not None
    assert box.has_attr("checked")
    chip = soup.select_one(".kb-active-filters a")
    assert "Region: Oceania" in chip.get_text()
    assert "region=oceania" not in chip["href"]


def test_unknown_values_are_ignored_with_a_notice(client, corpus):
    response = client.get(
        "/knowledge/?topic=no-such-topic&region=sub-saharan-africa&year=19x&type=podcast&sort=zzz&page=abc"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unknown topic “no-such-topic” was ignored." in html
    assert "Year “19x” is not a valid year" in html
    assert "Unknown type “podcast”" in html
    assert "Unknown sort order" in html
    assert titles(response) == ["Kenya SMS outage alerts"]


def test_pagination_keeps_the_filters(client):
    for number in range(25):
        f.case_study(title=f"Paged {number:02d}", channels=("email",))
    f.case_study(title="Other channel", channels=("sms",))
    first = client.get("/knowledge/?channel=email")
    assert len(titles(first)) == 20
    soup = BeautifulSoup(first.content, "html.parser")
    next_link = soup.select_one('.pagination a[rel="next"]')["href"]
    assert "channel=email" in next_link
    assert "page=2" in next_link
    second = client.get("/knowledge/" + next_link)
    assert len(titles(second)) == 5
    assert "Other channel" not in titles(second)
    beyond = client.get("/knowledge/?channel=email&page=99")
    assert beyond.status_code == 200
    assert titles(beyond) == titles(second)


def test_members_only_pages_are_listed_with_a_badge(client):
    f.case_study(title="Open page")
    f.case_study(title="Closed page", members_only=True)
    soup = BeautifulSoup(client.get("/knowledge/").content, "html.parser")
    cards = {
        c.select_one(".kb-card__title").get_text(strip=True): c for c in soup.select(".kb-card")
    }
    assert "Members only" in cards["Closed page"].get_text()
    assert "Members only" not in cards["Open page"].get_text()


def _populate(count: int):
    kinds = (f.case_study, f.method_guide)
    regions = ("sub-saharan-africa", "oceania", "global", "europe-and-northern-america")
    countries = ("KE", "FJ", "DE", "MX")
    for number in range(count):
        kinds[number % 2](
            title=f"Page {number}",
            topics=("customer-experience-and-trust", "social-media"),
            regions=(regions[number % 4],),
            countries=(countries[number % 4],),
            audiences=("residential-customers", "media"),
            channels=("sms", "web"),
            year=2015 + number % 10,
            members_only=number % 7 == 0,
        )


INDEX_QUERY_BUDGET = 26  # 21 unfiltered; each filter kind adds one lookup
QUERIES = ("", "?topic=digital-channels&region=oceania&audience=media", "?page=2&sort=title")


@pytest.mark.parametrize("count", [10, 200])
def test_index_query_count_does_not_grow_with_the_number_of_pages(
    client, django_assert_max_num_queries, count
):
    _populate(count)
    client.get("/knowledge/")  # warm per-process caches (content types, site root paths)
    for query in QUERIES:
        with django_assert_max_num_queries(INDEX_QUERY_BUDGET):
            response = client.get(f"/knowledge/{query}")
        assert response.status_code == 200
        assert titles(response), query


def test_signed_in_member_index_query_count_stays_within_budget(
    client, django_assert_max_num_queries
):
    _populate(30)
    client.force_login(f.user_with_role("member"))
    client.get("/knowledge/")
    with django_assert_max_num_queries(INDEX_QUERY_BUDGET + 3):
        assert client.get("/knowledge/?region=oceania").status_code == 200


def test_cards_list_topics_in_tree_order(client):
    f.case_study(
        title="Ordered",
        topics=("sms-and-text-messaging", "digital-channels", "customer-experience-and-trust"),
    )
    soup = BeautifulSoup(client.get("/knowledge/").content, "html.parser")
    tags = [a.get_text() for a in soup.select(".kb-card .tag:not(.tag--region):not(.tag--country)")]
    assert tags == ["Customer experience and trust", "Digital channels", "SMS and text messaging"]
