"""The pool of Markdown post bodies ``seed_bulk`` draws from, and the names of its authors.

The benchmark suite seeds the peer forums with the posts ``seed_bulk`` wrote (benchmarks/
content.py exports them), so the pool decides what every system renders: about 430 characters
of HTML per post on average, like the posts of a real practitioners' forum, with the Markdown
features members use (emphasis, lists, quotes, links, the odd table). Deterministic: the same
pool on every machine.
"""

import random

SENTENCES = (
    "We tried SMS reminders two weeks before the tariff change and saw far fewer complaints "
    "at the call centre.",
    "Has anyone measured whether bill inserts are read at all? Ours cost a lot to print and "
    "post every quarter.",
    "Our drought messaging worked best when it named one specific daily target per household "
    "instead of general appeals.",
    "We publish a monthly water-quality summary for each supply zone, and the trick was plain "
    "language rather than lab units.",
    "Customers trust the utility more when it admits a mistake quickly and says what it will "
    "do next.",
    "For boil-water notices we combine SMS, community radio and door-knocking in the informal "
    "settlements.",
    "The smart-meter portal reduced high-bill calls by about a third within the first year.",
    "Test the message with ten customers before you send it to all of them; it always changes.",
    "In our district the kiosk attendants were the most trusted messengers during the outage.",
    "We translated the leak-reporting leaflet into four languages and the reports doubled.",
    "The regulator asked us to show evidence that the consultation reached low-income households.",
    "Pressure management in the night hours cut losses, but we had to explain the low flow first.",
    "School visits about hygiene and handwashing brought parents to the open day the next month.",
    "Our board wanted a single satisfaction score, so we added a short survey to every "
    "repair visit.",
    "When the reservoir level dropped below forty percent we moved to weekly public updates.",
    "Prepaid meters were unpopular until we explained the emergency credit and the lifeline "
    "allowance.",
    "The crew now leaves a door hanger after each repair with a number to call if the water "
    "is discoloured.",
    "We learnt to announce planned interruptions at least 48 hours ahead, twice, on two channels.",
    "A WhatsApp group with community leaders spread the chlorination notice faster than radio.",
    "Complaints about taste fell after we explained why chlorine levels rise after mains flushing.",
    "We map every complaint by supply zone each week; clusters usually point to a pipe burst.",
    "Billing letters written at a reading age of twelve produced fewer disputes than the "
    "legal version.",
    "The conservation campaign worked in schools, but adults responded to the neighbour "
    "comparison on the bill.",
    "Revenue collection improved once customers could see where the tariff money is invested.",
    "Our outage alerts now give a restoration time and we update it if it slips.",
    "Field staff training on how to talk to angry customers mattered more than any poster.",
)
QUOTES = (
    "Customers forgive an outage; they do not forgive silence.",
    "Say what happened, what we are doing, and when you will hear from us again.",
    "If the message needs a glossary, it is not ready.",
    "Trust is built in dry years and spent in droughts.",
)
LIST_ITEMS = (
    "120 litres a day per person",
    "shorter showers",
    "no garden watering after 9am",
    "report leaks on the free number",
    "check the meter once a week",
    "keep a 20-litre reserve",
    "boil drinking water for one minute",
    "read the notice on the kiosk",
)
LINKS = (
    ("the evaluation template we used", "https://example.org/guide"),
    ("our outage communication plan", "https://example.org/outage-plan"),
    ("the regulator's customer charter", "https://example.org/charter"),
)
TABLE = (
    "| Channel | Reach | Cost |\n|---|--:|--:|\n| SMS | 92% | low |\n| Radio | 60% | medium |\n"
    "| Door-knocking | 35% | high |"
)

POOL_SIZE = 64
POOL_SEED = 430

AUTHOR_FIRST_NAMES = (
    "Amina Bongani Carla Dinh Efua Farid Grace Hamid Ines Jomo Kalani Lerato Mateo Nadia Oluwa "
    "Priya Quentin Rosa Samir Thandiwe Umar Vera Wanjiru Xavier Yara Zanele Andile Beatriz "
    "Chidi Dalia"
).split()
AUTHOR_LAST_NAMES = (
    "Okafor Mensah Silva Nguyen Haddad Kamau Pereira Diallo Rahman Mwangi Costa Banda Achieng "
    "Moreau Tembo Osei Lopes Phiri Kariuki Nkosi"
).split()


def bulk_author_name(n: int) -> str:
    """A readable, deterministic display name for bulk author ``n`` (1-based)."""
    first = AUTHOR_FIRST_NAMES[(n - 1) % len(AUTHOR_FIRST_NAMES)]
    last = AUTHOR_LAST_NAMES[(n * 7 - 1) % len(AUTHOR_LAST_NAMES)]
    return f"{first} {last}"


def _body(rng: random.Random) -> str:
    sentences = rng.sample(SENTENCES, rng.randint(2, 5))
    blocks = [" ".join(sentences[:2])]
    rest = sentences[2:]
    shape = rng.random()
    if shape < 0.2:
        blocks.insert(0, f"> {rng.choice(QUOTES)}")
    elif shape < 0.4:
        items = rng.sample(LIST_ITEMS, rng.randint(2, 4))
        blocks.append("\n".join(f"- {item}" for item in items))
    elif shape < 0.5:
        label, url = rng.choice(LINKS)
        blocks.append(f"See [{label}]({url}) for the details.")
    elif shape < 0.55:
        blocks.append(TABLE)
    if rest:
        blocks.append(" ".join(rest))
    text = "\n\n".join(blocks)
    # Emphasis on a word or two, as people write.
    for word in rng.sample(("SMS", "radio", "tariff", "outage", "survey", "kiosk"), 2):
        if word in text and rng.random() < 0.5:
            text = text.replace(word, f"**{word}**", 1)
    return text


def body_pool(size: int = POOL_SIZE, seed: int = POOL_SEED) -> tuple[str, ...]:
    """``size`` Markdown bodies, the same for the same arguments."""
    rng = random.Random(seed)
    return tuple(_body(rng) for _ in range(size))
