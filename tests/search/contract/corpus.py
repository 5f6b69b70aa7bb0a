"""A small hand-written corpus every backend must answer the same way.

Slugs are the taxonomy's; nothing here needs the database. Visibility tokens follow
search.visibility: group 7 is a restricted forum category's group.
"""

from datetime import UTC, datetime

from search.documents import (
    CASE_STUDY,
    MEMBERS,
    METHOD_GUIDE,
    MODERATORS,
    PUBLIC,
    THREAD,
    SearchDocument,
    Term,
    group_token,
    members_group_token,
)
from search.glossary import Glossary

GROUP = 7
VISITOR = frozenset({PUBLIC})
MEMBER = frozenset({PUBLIC, MEMBERS})
GUEST = MEMBER  # guests read members content, and hold no group
GROUP_MEMBER = frozenset({PUBLIC, MEMBERS, group_token(GROUP), members_group_token(GROUP)})
MODERATOR = frozenset({PUBLIC, MEMBERS, MODERATORS})

GLOSSARY = Glossary.from_entries(
    [
        ("Non-revenue water", "NRW", "water losses, unaccounted-for water"),
        ("Customer satisfaction survey", "CSAT", "satisfaction survey"),
    ]
)

OPERATIONS = Term("operations", "Operations")
NRW = Term("non-revenue-water", "Non-revenue water")
CUSTOMER = Term("customer-experience-and-trust", "Customer experience and trust")
TARIFFS = Term("tariffs-and-billing", "Tariffs and billing")
AFRICA = Term("sub-saharan-africa", "Sub-Saharan Africa")
LATAM = Term("latin-america-and-the-caribbean", "Latin America and the Caribbean")
EUROPE = Term("europe-and-northern-america", "Europe and Northern America")
KENYA = Term("kenya", "Kenya")
PERU = Term("peru", "Peru")
CANADA = Term("canada", "Canada")
CUSTOMERS = Term("customers", "Customers")
SCHOOLS = Term("schools", "Schools")
RADIO = Term("radio", "Radio")
SOCIAL = Term("social-media", "Social media")


def when(year, month=1, day=1):
    return datetime(year, month, day, 12, tzinfo=UTC)


def page(pk, type_, title, summary, body, **fields):
    return SearchDocument(
        id=f"kb.page:{pk}",
        type=type_,
        title=title,
        url=f"/kb/{pk}/",
        summary=summary,
        body=body,
        **fields,
    )


def thread(pk, title, opening, accepted="", replies="", **fields):
    fields.setdefault("kind", "question")
    if fields["kind"] == "question":
        fields.setdefault("answered", bool(accepted))
    return SearchDocument(
        id=f"forum.thread:{pk}",
        type=THREAD,
        title=title,
        url=f"/forum/t/{pk}/",
        summary=opening,
        body=accepted,
        replies=replies,
        **fields,
    )


CORPUS = (
    page(
        1,
        CASE_STUDY,
        "Cutting non-revenue water in Nairobi",
        "How a utility halved its water losses with district metering and pressure management.",
        "Field crews fixed leaks street by street while the call centre told customers why "
        "pressure changed at night. Radio spots explained the work.",
        topics=(NRW, OPERATIONS),
        regions=(AFRICA,),
        countries=(KENYA,),
        audiences=(CUSTOMERS,),
        channels=(RADIO,),
        published=when(2023, 5, 1),
    ),
    page(
        2,
        METHOD_GUIDE,
        "Running a customer satisfaction survey",
        "A step-by-step method for questionnaires, sampling and reporting back to customers.",
        "Pick a sample frame, pilot the questionnaire, report the findings publicly.",
        topics=(CUSTOMER,),
        regions=(EUROPE,),
        countries=(CANADA,),
        audiences=(CUSTOMERS,),
        published=when(2021, 3, 10),
    ),
    thread(
        3,
        "How do we explain tariff increases to customers?",
        "Our regulator approved a tariff rise and we need to tell households before billing.",
        accepted="Hold town hall meetings first, then use radio and bill inserts.",
        replies="We published a simple calculator. Social media questions doubled.",
        topics=(TARIFFS,),
        regions=(LATAM,),
        countries=(PERU,),
        channels=(RADIO,),
        published=when(2024, 2, 1),
        votes=12,
        reply_count=5,
    ),
    thread(
        4,
        "Prepaid meters and customer complaints",
        "Customers complain that prepaid meters cut them off; the smart phone app keeps "
        "crashing and the meter display is unclear.",
        topics=(TARIFFS,),
        regions=(AFRICA,),
        countries=(KENYA,),
        published=when(2022, 8, 1),
        votes=1,
        reply_count=0,
    ),
    page(
        5,
        CASE_STUDY,
        "Confidential billing reform in Lima",
        "Members-only notes on a quokka pilot for billing.",
        "The quokka pilot changed bills for forty thousand customers.",
        topics=(TARIFFS,),
        regions=(LATAM,),
        countries=(PERU,),
        visibility=(MEMBERS,),
        published=when(2024, 6, 1),
    ),
    thread(
        6,
        "Board crisis communications plan",
        "Group-only: the wombat scenario for a contamination incident.",
        accepted="Rehearse the wombat scenario with the board twice a year.",
        topics=(OPERATIONS,),
        regions=(EUROPE,),
        visibility=(group_token(GROUP), MODERATORS),
        published=when(2024, 7, 1),
    ),
    page(
        7,
        CASE_STUDY,
        "Smart meter rollout communications",
        "Door-to-door visits before every smart meter installation.",
        "Installers carried leaflets; complaints fell by half.",
        topics=(OPERATIONS,),
        regions=(LATAM,),
        countries=(PERU,),
        audiences=(CUSTOMERS,),
        published=when(2020, 9, 1),
    ),
    page(
        8,
        METHOD_GUIDE,
        "Communicating water rationing during drought",
        "Schedules, maps and daily updates when supply is rationed.",
        "Publish rationing schedules a week ahead and keep them stable.",
        topics=(OPERATIONS,),
        regions=(AFRICA,),
        channels=(RADIO, SOCIAL),
        published=when(2019, 11, 1),
    ),
    thread(
        9,
        "Social media for water utilities",
        "Which platforms work for outage alerts?",
        replies="Short videos did well for us. Keep replies under an hour.",
        kind="discussion",
        topics=(CUSTOMER,),
        regions=(EUROPE,),
        channels=(SOCIAL,),
        published=when(2023, 1, 15),
        votes=4,
        reply_count=2,
    ),
    page(
        10,
        CASE_STUDY,
        "Late fees and disconnection notices",
        "Rewriting disconnection letters in plain language reduced late fees.",
        "The utility tested three letters with households.",
        topics=(TARIFFS,),
        regions=(EUROPE,),
        countries=(CANADA,),
        published=when(2018, 4, 1),
    ),
    page(
        11,
        METHOD_GUIDE,
        "Hand washing campaigns in schools",
        "Songs and posters for hygiene lessons.",
        "Teachers ran the campaign with the water utility.",
        topics=(CUSTOMER,),
        regions=(AFRICA,),
        countries=(KENYA,),
        audiences=(SCHOOLS,),
        published=when(2022, 3, 1),
    ),
    thread(
        12,
        "Leak detection apps?",
        "Does anyone use an app so residents can report leaks?",
        topics=(NRW, OPERATIONS),
        regions=(LATAM,),
        published=when(2023, 10, 1),
    ),
    page(
        13,
        CASE_STUDY,
        "Café conversations: customer service in Montréal",
        "Listening sessions held in cafés.",
        "Residents met staff over coffee.",
        topics=(CUSTOMER,),
        regions=(EUROPE,),
        countries=(CANADA,),
        published=when(2021, 6, 1),
    ),
    page(
        14,
        METHOD_GUIDE,
        "Benchmarking water losses for members",
        "Members-only NRW benchmarking tables.",
        "Compare losses per connection per day.",
        topics=(NRW, OPERATIONS),
        regions=(EUROPE,),
        visibility=(MEMBERS,),
        published=when(2022, 1, 1),
    ),
    thread(
        15,
        "Group members: tariff wombat survey",
        "Members of the group discuss the wombat tariff survey.",
        kind="discussion",
        topics=(TARIFFS,),
        regions=(EUROPE,),
        visibility=(members_group_token(GROUP), MODERATORS),
        published=when(2024, 3, 1),
    ),
)

SECRET_WORDS = ("quokka", "wombat")
"""Words only members-only or group-only documents contain."""
