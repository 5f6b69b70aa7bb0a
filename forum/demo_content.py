"""Illustrative forum content for ``seed_demo`` (see ``forum.demo``).

People, organisations and figures here are invented for demonstration; they describe the
kind of questions the PCC community discusses. A reply is ``(author, text, [replies...])``; a
question's accepted answer is marked by putting ``ACCEPTED`` as the first item of the tuple.
"""

ACCEPTED = "accepted"

# key: (display name, roles, organisation)
AUTHORS = {
    "amina": ("Amina Okafor", ("member",), "Lagoon City Water Corporation"),
    "tomas": ("Tomás Rivera", ("member",), "Aguas del Valle"),
    "priya": ("Priya Natarajan", ("member",), "Deccan Water Research Centre"),
    "lars": ("Lars Eriksen", ("member",), "Nordvann Utility"),
    "mei": ("Mei Chen", ("member",), "Harbour City Water Supplies"),
    "kwame": ("Kwame Mensah", ("member",), "Coastal Water Company"),
    "sofia": ("Sofia Rossi", ("member",), "Acque del Lago"),
    "daniel": ("Daniel Cohen", ("member",), "Metro Water Services"),
    "fatima": ("Fatima Al-Sayed", ("member",), "Oasis Water Authority"),
    "grace": ("Grace Wanjiru", ("member", "moderator"), "East African Water Association"),
    "hiro": ("Hiro Tanaka", ("guest",), "IWA Digital Water group"),
    "ana": ("Ana Lima", ("guest",), "IWA Water Safety Plans group"),
}

# slug: (name, description, mode, visibility, guests_can_post, sort_order)
CATEGORIES = {
    "ask-the-pcc-experts": (
        "Ask the PCC experts",
        "Members of other IWA specialist groups ask how to communicate their technical work; "
        "PCC members answer. Guests are welcome to ask and reply here.",
        "questions",
        "public",
        True,
        10,
    ),
    "customer-experience": (
        "Customer experience and trust",
        "Bills, complaints, call centres and the moments that make or break trust.",
        "discussion",
        "public",
        False,
        20,
    ),
    "crisis-communication": (
        "Drought, flood and crisis communication",
        "Outages, contamination, boil-water notices, drought restrictions and floods.",
        "discussion",
        "public",
        False,
        30,
    ),
    "tariffs-and-billing": (
        "Tariffs and billing questions",
        "How to explain prices, rises, social tariffs and investment plans.",
        "questions",
        "public",
        False,
        40,
    ),
    "digital-channels": (
        "Digital channels",
        "Social media, SMS, apps, chatbots and smart-meter feedback.",
        "discussion",
        "public",
        False,
        50,
    ),
    "research-and-evaluation": (
        "Research and evaluation",
        "Measuring whether communication worked: surveys, trials and metrics.",
        "questions",
        "public",
        False,
        60,
    ),
    "members-lounge": (
        "Members' lounge",
        "Group business, drafts for review and candid lessons, for members and guests only.",
        "discussion",
        "members",
        False,
        70,
    ),
}

# (category, title, author, topics, regions, body, replies, days_ago)
THREADS = [
    (
        "ask-the-pcc-experts",
        "How do we explain non-revenue water to city councillors?",
        "hiro",
        ["stakeholder-and-community-engagement", "tariffs-and-investment"],
        ["eastern-and-south-eastern-asia"],
        "Our leakage team has solid data (NRW at 38%) but councillors glaze over at "
        "'non-revenue water'. What framing has worked for you with elected officials?",
        [
            (
                ACCEPTED,
                "amina",
                "Stop saying NRW. We say **'water we treat and pay for, then lose'** and "
                "translate it into something local: *enough to fill the stadium every 9 days*. "
                "Then show one street where fixing leaks paid back in under two years.",
                [
                    ("hiro", "The stadium comparison is great. Did you show costs too?", []),
                    (
                        "amina",
                        "Yes: cost per day of losses next to the cost of the repair crew.",
                        [],
                    ),
                ],
            ),
            (
                "lars",
                "A map helps. Councillors care about their own wards, so show losses by ward.",
                [],
            ),
        ],
        40,
    ),
    (
        "ask-the-pcc-experts",
        "Plain-language summary of a water safety plan for residents?",
        "ana",
        ["water-quality-and-public-health", "inclusion-and-accessibility"],
        ["latin-america-and-the-caribbean"],
        "We have a 90-page water safety plan. Residents keep asking 'is my water safe?'. "
        "Is there a good model for a one-page public summary?",
        [
            (
                ACCEPTED,
                "priya",
                "Three questions, three answers: *Where does my water come from? What could "
                "go wrong? What do you do about it?* Add a phone number and the date of the "
                "last test results. Test it with ten residents before printing.",
                [],
            ),
            (
                "fatima",
                "Also publish it in the languages people actually speak at home, not only "
                "the official one.",
                [("ana", "Good point: we have a large Quechua-speaking population.", [])],
            ),
        ],
        35,
    ),
    (
        "ask-the-pcc-experts",
        "Communicating sludge reuse to farmers: where to start?",
        "hiro",
        ["environment-and-source-protection", "stakeholder-and-community-engagement"],
        ["central-and-southern-asia"],
        "We want to promote treated biosolids to farmers near the plant, but the word "
        "'sludge' kills the conversation. Any experience?",
        [],
        3,
    ),
    (
        "ask-the-pcc-experts",
        "Should hydraulic modellers present to the public at all?",
        "ana",
        ["stakeholder-and-community-engagement"],
        ["europe-and-northern-america"],
        "Our flood modelling team is asked to present at community meetings. Some say "
        "engineers should stay backstage. What do you recommend?",
        [
            (
                "kwame",
                "Yes, but with a communicator beside them. Residents trust the person who "
                "built the model, if someone translates the uncertainty bands.",
                [],
            ),
            (
                "sofia",
                "Rehearse with a hostile-question drill. The first question is always "
                "'why did you let my street flood?'.",
                [],
            ),
        ],
        12,
    ),
    (
        "ask-the-pcc-experts",
        "Best way to announce a change in disinfection (chloramine)?",
        "hiro",
        ["water-quality-and-public-health", "risk-and-crisis-communication"],
        ["australia-and-new-zealand"],
        "We switch from chlorine to chloramine next year. Dialysis patients and aquarium "
        "owners need specific advice. How far ahead and through which channels?",
        [
            (
                ACCEPTED,
                "grace",
                "Six months ahead for clinics and pet shops, three months for the public. "
                "Write to dialysis units directly; don't rely on media. A short FAQ page "
                "with a search-friendly title ('chloramine in my tap water') did most of "
                "the work for us.",
                [],
            ),
        ],
        60,
    ),
    (
        "customer-experience",
        "Our complaint letters sound defensive. Templates that work?",
        "sofia",
        ["customer-experience-and-trust"],
        ["europe-and-northern-america"],
        "Legal reviewed our templates and they now read like court papers. Has anyone "
        "rewritten complaint responses and measured the effect?",
        [
            (
                "daniel",
                "We cut our average letter from 480 to 190 words and started with an "
                "apology when we were at fault. Repeat complaints fell by a fifth.",
                [("sofia", "How did you get legal to agree?", [])],
            ),
            (
                "lars",
                "Give staff permission to pick up the phone instead. A call resolves what "
                "three letters don't.",
                [],
            ),
        ],
        20,
    ),
    (
        "customer-experience",
        "First-contact resolution in the call centre: realistic targets?",
        "daniel",
        ["customer-experience-and-trust", "research-and-evaluation"],
        ["europe-and-northern-america"],
        "We're at 61% first-contact resolution. Management wants 85% in a year. Is that "
        "realistic for a water utility?",
        [
            ("mei", "We moved from 58% to 74% in 18 months. 85% sounds like a stretch.", []),
            (
                "kwame",
                "Check how you measure it. Some utilities count a callback within 7 days as "
                "unresolved, others don't.",
                [],
            ),
        ],
        9,
    ),
    (
        "customer-experience",
        "Vulnerable customers register: how do you get people to sign up?",
        "fatima",
        ["inclusion-and-accessibility", "customer-experience-and-trust"],
        ["northern-africa-and-western-asia"],
        "Only 2% of eligible households are on our priority services register. We need "
        "them on it before the next outage.",
        [
            (
                "priya",
                "Partner with health visitors and charities; they have the trust we lack.",
                [],
            ),
        ],
        15,
    ),
    (
        "customer-experience",
        "Estimated bills after meter-reading backlog",
        "tomas",
        ["customer-experience-and-trust", "tariffs-and-investment"],
        ["latin-america-and-the-caribbean"],
        "After a six-month reading backlog, catch-up bills are arriving and customers are "
        "angry. How have others handled catch-up billing?",
        [],
        2,
    ),
    (
        "customer-experience",
        "Do customers read their bill at all?",
        "lars",
        ["customer-experience-and-trust", "research-and-evaluation"],
        ["europe-and-northern-america"],
        "We tracked opens of our e-bill: 34% open it, and most only look at the amount. "
        "Is it worth investing in bill redesign?",
        [
            ("mei", "Yes, if the redesign answers 'why is it higher this time?'.", []),
        ],
        27,
    ),
    (
        "crisis-communication",
        "Boil-water notice channels in informal settlements",
        "kwame",
        ["risk-and-crisis-communication", "water-quality-and-public-health"],
        ["sub-saharan-africa"],
        "SMS reaches maybe 40% of households in our informal settlements. What else has "
        "worked for urgent notices?",
        [
            (
                "amina",
                "Community radio and water-kiosk attendants. Kiosk staff are the most "
                "trusted messengers we have.",
                [
                    ("kwame", "Did you brief kiosk staff in advance?", []),
                    (
                        "amina",
                        "Yes, a laminated card with the three key messages, refreshed every year.",
                        [],
                    ),
                ],
            ),
            ("grace", "Loudspeaker vans still work where nothing else does.", []),
        ],
        18,
    ),
    (
        "crisis-communication",
        "Drought restrictions: carrot or stick messaging?",
        "sofia",
        ["behaviour-change-and-conservation", "risk-and-crisis-communication"],
        ["europe-and-northern-america"],
        "We need a 15% cut this summer. Leadership wants to lead with fines. Evidence for "
        "either approach?",
        [
            (
                "priya",
                "Social norms beat fines in every trial I know: 'most of your neighbours "
                "already cut back' plus a specific target.",
                [],
            ),
            ("tomas", "Fines work as a backstop, but announce them last.", []),
        ],
        30,
    ),
    (
        "crisis-communication",
        "Flood warning fatigue: people ignored our third alert",
        "mei",
        ["risk-and-crisis-communication"],
        ["eastern-and-south-eastern-asia"],
        "Two false alarms this season and the third, real alert was ignored. How do you "
        "rebuild credibility mid-season?",
        [
            (
                "lars",
                "Explain the misses openly and say what changed. Silence reads as incompetence.",
                [],
            ),
        ],
        7,
    ),
    (
        "crisis-communication",
        "Holding statement templates for contamination events",
        "grace",
        ["risk-and-crisis-communication", "water-quality-and-public-health"],
        ["global"],
        "Sharing our holding statement template. It is approved in advance so we can "
        "publish within 30 minutes:\n\n> We are aware of a possible problem with water "
        "quality in **[area]**. As a precaution, **[instruction]**. We will update you by "
        "**[time]**.\n\nWhat would you add?",
        [
            ("kwame", "A phone line for vulnerable customers.", []),
            ("fatima", "Translations prepared in advance, not on the day.", []),
        ],
        45,
    ),
    (
        "crisis-communication",
        "Planned outage notices: how much notice is enough?",
        "tomas",
        ["customer-experience-and-trust", "risk-and-crisis-communication"],
        ["latin-america-and-the-caribbean"],
        "Regulators require 48 hours. Businesses say they need a week. What do you do?",
        [],
        1,
    ),
    (
        "tariffs-and-billing",
        "How do we explain a 12% tariff rise?",
        "lars",
        ["tariffs-and-investment", "customer-experience-and-trust"],
        ["europe-and-northern-america"],
        "The regulator approved a 12% rise to fund a new treatment plant. What messages "
        "and channels worked for you?",
        [
            (
                ACCEPTED,
                "daniel",
                "Lead with what customers get (the plant, fewer outages), then the "
                "cost **per day**: '12 cents more a day' lands better than '12%'. We "
                "pre-briefed local media and published a bill calculator.",
                [
                    ("lars", "Did the calculator get much use?", []),
                    ("daniel", "About 9,000 visits in the first month.", []),
                ],
            ),
            (
                "sofia",
                "Tell people about the social tariff in the same letter, not later.",
                [],
            ),
        ],
        50,
    ),
    (
        "tariffs-and-billing",
        "Social tariff uptake is low: why?",
        "fatima",
        ["tariffs-and-investment", "inclusion-and-accessibility"],
        ["northern-africa-and-western-asia"],
        "Only a third of eligible households claim our social tariff. Is it stigma, "
        "awareness or paperwork?",
        [
            (
                ACCEPTED,
                "priya",
                "Usually paperwork. Auto-enrolment through benefits data tripled uptake in "
                "two utilities I worked with.",
                [],
            ),
        ],
        22,
    ),
    (
        "tariffs-and-billing",
        "Increasing block tariffs: how to explain the blocks?",
        "kwame",
        ["tariffs-and-investment"],
        ["sub-saharan-africa"],
        "Customers think the higher blocks are a penalty. How do you present block "
        "tariffs so they read as fair?",
        [],
        5,
    ),
    (
        "tariffs-and-billing",
        "Connection fees for new informal-area customers",
        "amina",
        ["tariffs-and-investment", "inclusion-and-accessibility"],
        ["sub-saharan-africa"],
        "We offer connection fees in instalments but few apply. Has anyone tested "
        "different ways of presenting the offer?",
        [
            ("kwame", "We framed it as 'less than you pay the vendor each week'.", []),
        ],
        11,
    ),
    (
        "tariffs-and-billing",
        "Presenting a 25-year investment plan to customers",
        "tomas",
        ["tariffs-and-investment", "stakeholder-and-community-engagement"],
        ["latin-america-and-the-caribbean"],
        "Our investment plan consultation had 140 responses from 2 million customers. "
        "How do you make long-term plans interesting?",
        [],
        4,
    ),
    (
        "digital-channels",
        "SMS reminders before disconnection: what wording?",
        "amina",
        ["sms-and-text-messaging", "customer-experience-and-trust"],
        ["sub-saharan-africa"],
        "We are trialling SMS reminders 7 days before disconnection. Early results "
        "below.\n\n| Wording | Paid within 7 days |\n|---|--:|\n| Neutral reminder | 31% |\n"
        "| With payment-plan offer | 44% |\n\nAnyone tested other variants?",
        [
            (
                "mei",
                "Add the customer's name and the exact amount. Personalised versions won "
                "in our trial too.",
                [],
            ),
        ],
        14,
    ),
    (
        "digital-channels",
        "Chatbot for outage questions: worth it?",
        "mei",
        ["web-and-chatbots", "risk-and-crisis-communication"],
        ["eastern-and-south-eastern-asia"],
        "Our outage calls spike 20x during incidents. Has a chatbot helped anyone, or do "
        "people just want a human?",
        [
            (
                "daniel",
                "Ours answers 'is there an outage at my address?' well, and nothing else. "
                "That alone removed a third of the calls.",
                [],
            ),
        ],
        16,
    ),
    (
        "digital-channels",
        "Smart-meter leak alerts: customers think it's spam",
        "lars",
        ["smart-meters-and-ami-feedback", "behaviour-change-and-conservation"],
        ["europe-and-northern-america"],
        "We send leak alerts from smart-meter data, but many customers ignore them as "
        "phishing. How do you make alerts credible?",
        [
            ("priya", "Announce them by letter before the first alert arrives.", []),
            ("sofia", "Never include a link. Tell people to log in themselves.", []),
        ],
        19,
    ),
    (
        "digital-channels",
        "Which social platforms still matter for utilities?",
        "tomas",
        ["social-media"],
        ["global"],
        "Our audience is spread across four platforms and we have one person. Where "
        "would you focus?",
        [],
        6,
    ),
    (
        "digital-channels",
        "Accessible outage maps",
        "fatima",
        ["web-and-chatbots", "inclusion-and-accessibility"],
        ["northern-africa-and-western-asia"],
        "Our outage map fails screen readers. Has anyone built an accessible alternative "
        "(a list by postcode, for example)?",
        [
            ("grace", "A text list sorted by area, updated with the map, works well.", []),
        ],
        24,
    ),
    (
        "research-and-evaluation",
        "How do you measure trust in a utility?",
        "priya",
        ["research-and-evaluation", "customer-experience-and-trust"],
        ["global"],
        "We want a trust metric we can track yearly and compare with peers. Which survey "
        "questions do you use?",
        [
            (
                ACCEPTED,
                "daniel",
                "Three items: *I trust my water company to do the right thing*, *...to tell "
                "me the truth*, *...to fix problems quickly*. Five-point scale, same wording "
                "every year.",
                [("priya", "Do you benchmark with other utilities?", [])],
            ),
        ],
        70,
    ),
    (
        "research-and-evaluation",
        "Randomised trial of bill inserts: sample size?",
        "mei",
        ["research-and-evaluation", "behaviour-change-and-conservation"],
        ["eastern-and-south-eastern-asia"],
        "We want to test two conservation inserts. How many households per arm to detect "
        "a 2% change in consumption?",
        [],
        8,
    ),
    (
        "research-and-evaluation",
        "Evaluating a school water-education programme",
        "kwame",
        ["research-and-evaluation", "behaviour-change-and-conservation"],
        ["sub-saharan-africa"],
        "Our schools programme reaches 40,000 pupils a year. Funders ask for outcomes, "
        "not outputs. What can we realistically measure?",
        [
            (
                ACCEPTED,
                "fatima",
                "Household water use of participating families versus a matched group, "
                "three months after the programme. Pupil knowledge tests tell you little "
                "on their own.",
                [],
            ),
        ],
        33,
    ),
    (
        "research-and-evaluation",
        "Net Promoter Score for a monopoly?",
        "sofia",
        ["research-and-evaluation", "customer-experience-and-trust"],
        ["europe-and-northern-america"],
        "Customers cannot switch supplier. Is NPS meaningful for us at all?",
        [
            ("lars", "Not really. We use customer effort score instead.", []),
        ],
        10,
    ),
    (
        "members-lounge",
        "Draft: PCC webinar programme for next year",
        "grace",
        ["internal-and-cross-group-communication"],
        ["global"],
        "Draft topics for the webinar series: tariff communication, crisis comms, "
        "evaluating campaigns. Volunteers to present?",
        [
            ("amina", "I can present the kiosk-attendant work on boil-water notices.", []),
            ("daniel", "Happy to do the complaint-letter rewrite.", []),
        ],
        13,
    ),
    (
        "members-lounge",
        "Candid: our drought campaign that backfired",
        "tomas",
        ["behaviour-change-and-conservation", "risk-and-crisis-communication"],
        ["latin-america-and-the-caribbean"],
        "Sharing here rather than publicly: our 'every drop counts' campaign ran while a "
        "main burst for three days downtown. The backlash was severe. Lessons below.",
        [
            ("sofia", "Thank you for sharing. Did you pause the campaign?", []),
            ("tomas", "Yes, after two days. We should have paused it in the first hour.", []),
        ],
        26,
    ),
    (
        "members-lounge",
        "Peer review request: stakeholder mapping template",
        "priya",
        ["stakeholder-and-community-engagement"],
        ["central-and-southern-asia"],
        "I have a stakeholder mapping template for dam projects and would welcome two "
        "reviewers before it goes to the knowledge base.",
        [],
        2,
    ),
]

# Replies for the long demo threads, used in a fixed nested pattern.
LONG_THREAD_REPLIES = [
    "We saw the same thing: the first week is the hardest.",
    "Could you share the exact wording you used?",
    "Here is ours: *'Your water is safe to drink again. Thank you for your patience.'*",
    "Did you translate it, or write it again in each language?",
    "Written again by native speakers; translation missed the tone.",
    "How did local media react?",
    "Better than expected, because we briefed them the day before.",
    "We learned to name one spokesperson and stick with them.",
    "Agreed. Three spokespeople in one day confused everyone.",
    "What about social media comments? Did you reply to each one?",
    "Only to questions. We did not argue with opinions.",
    "That's our policy too, written down so staff feel backed.",
    "Did anyone measure reach after the first day?",
    "SMS: 78% delivered. Radio: unknown but probably higher in rural areas.",
    "We ran a quick phone survey a week later: 64% remembered the message.",
    "That's a useful benchmark, thanks.",
    "One more lesson: update the website first, then everything else links to it.",
    "Yes, and keep the old notices visible with a clear 'resolved' banner.",
]

LONG_THREADS = [
    (
        "crisis-communication",
        "After-action review: three-week boil-water notice in Riverside",
        "grace",
        ["risk-and-crisis-communication", "water-quality-and-public-health"],
        ["europe-and-northern-america"],
        "We lifted a three-week boil-water notice last month. This thread collects "
        "lessons, channel by channel, so the next team doesn't start from zero.",
        64,
        55,
    ),
    (
        "ask-the-pcc-experts",
        "Which channels reach people without smartphones during an outage?",
        "ana",
        ["risk-and-crisis-communication", "inclusion-and-accessibility"],
        ["sub-saharan-africa", "central-and-southern-asia"],
        "Our digital-water group assumes everyone has a smartphone. What do PCC members "
        "use to reach the rest?",
        40,
        38,
    ),
]

# Short discussion starters to bring the total across regions and topics.
EXTRA_THREADS = [
    ("digital-channels", "WhatsApp broadcast lists for service updates?", "kwame",
     ["social-media", "sms-and-text-messaging"], ["sub-saharan-africa"], 17),
    ("digital-channels", "In-app surveys after a repair visit", "mei",
     ["mobile-apps-and-surveys", "customer-experience-and-trust"],
     ["eastern-and-south-eastern-asia"], 21),
    ("customer-experience", "Staff tone of voice guide: share yours?", "sofia",
     ["internal-and-cross-group-communication", "customer-experience-and-trust"],
     ["europe-and-northern-america"], 29),
    ("crisis-communication", "Cyclone season pre-briefings for island utilities", "lars",
     ["risk-and-crisis-communication"], ["oceania"], 31),
    ("tariffs-and-billing", "Explaining wastewater charges separately on the bill?", "daniel",
     ["tariffs-and-investment"], ["australia-and-new-zealand"], 36),
    ("research-and-evaluation", "Focus groups versus online panels for message testing", "priya",
     ["research-and-evaluation"], ["central-and-southern-asia"], 41),
    ("customer-experience", "Customer charter refresh: what to promise?", "fatima",
     ["customer-experience-and-trust"], ["northern-africa-and-western-asia"], 44),
    ("digital-channels", "Web accessibility audits: who does yours?", "grace",
     ["web-and-chatbots", "inclusion-and-accessibility"], ["global"], 47),
    ("crisis-communication", "Source-water protection campaigns with farmers", "amina",
     ["environment-and-source-protection", "stakeholder-and-community-engagement"],
     ["sub-saharan-africa"], 52),
    ("ask-the-pcc-experts", "Explaining pressure management to residents", "hiro",
     ["customer-experience-and-trust"], ["oceania"], 57),
]  # fmt: skip

EXTRA_BODY = (
    "We're starting work on this and would welcome examples, templates or pitfalls from "
    "other utilities. What worked, and what would you do differently?"
)
