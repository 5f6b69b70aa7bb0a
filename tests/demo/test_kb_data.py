"""The KB demo data files are checked on load: each mistake names file, entry and key."""

import pytest

from demo.data_files import DemoDataError
from demo.kb import seed_demo_kb
from demo.kb_data import load_kb_demo_data
from kb.models import KnowledgePage

pytestmark = pytest.mark.django_db


def test_an_unknown_taxonomy_slug_in_the_kb_data_names_file_entry_and_key(demo_data):
    demo_data.edit(
        "kb/case_studies.yaml",
        "  topics: [risk-and-crisis-communication, sms-and-text-messaging,",
        "  topics: [risk-and-crisis-communication, sms-and-texting,",
    )
    assert demo_data.error(seed_demo_kb) == (
        "demo/data/kb/case_studies.yaml: entry 1 ('nairobi-sms-outage-alerts'), key topics[1]: "
        "unknown topic slug 'sms-and-texting' (did you mean 'sms-and-text-messaging'?)"
    )
    assert not KnowledgePage.objects.exists()


def test_an_unknown_country_or_case_study_in_the_kb_data_is_refused(demo_data):
    demo_data.edit("kb/case_studies.yaml", "  countries: [KE]\n", "  countries: [XK1]\n")
    with pytest.raises(DemoDataError, match=r"key countries\[0\]: unknown country .* 'XK1'"):
        load_kb_demo_data()


def test_a_method_guide_linking_an_unknown_case_study_is_refused(demo_data):
    demo_data.edit(
        "kb/method_guides.yaml",
        "related_case_studies: [suva-cyclone-boil-water-notice,",
        "related_case_studies: [suva-cyclone-boil-water-notise,",
    )
    assert demo_data.error(load_kb_demo_data) == (
        "demo/data/kb/method_guides.yaml: entry 1 ('writing-a-boil-water-notice'), key "
        "related_case_studies[0]: unknown case study (a slug in case_studies.yaml) "
        "'suva-cyclone-boil-water-notise' (did you mean 'suva-cyclone-boil-water-notice'?)"
    )


def test_a_misspelt_or_missing_key_in_the_kb_data_is_refused(demo_data):
    demo_data.edit(
        "kb/glossary.yaml", "  definition: Water produced", "  defintion: Water produced"
    )
    assert demo_data.error(load_kb_demo_data).startswith(
        "demo/data/kb/glossary.yaml: entry 1 ('Non-revenue water'): unknown key 'defintion' "
        "(did you mean 'definition'?)"
    )
    demo_data.edit(
        "kb/glossary.yaml", "  defintion: Water produced", "  definition: Water produced"
    )
    demo_data.edit("kb/submissions.yaml", "  kind: case-study\n", "")
    with pytest.raises(
        DemoDataError, match=r"^demo/data/kb/submissions\.yaml: entry 1: missing key 'kind'$"
    ):
        load_kb_demo_data()


def test_a_submission_by_an_unknown_demo_login_is_refused(demo_data):
    demo_data.edit("kb/submissions.yaml", "- author: member@demo", "- author: membre@demo")
    assert demo_data.error(load_kb_demo_data) == (
        "demo/data/kb/submissions.yaml: entry 1, key author: unknown demo login "
        "(demo/members.py) 'membre@demo.pcc-hub.test' (did you mean 'member@demo.pcc-hub.test'?)"
    )
