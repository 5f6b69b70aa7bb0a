"""The "You can post again ..." sentence of a rate-limit refusal, either form.

The sentence names the time (UTC), and the date too when the retry falls on another day than
now, so a test run in the last hour of a UTC day sees the second form
(``forum.services.limits._rate_message``; both are tested there directly)."""

import re

RETRY_SENTENCE = re.compile(r"You can post again (?:at|on \d{1,2} [A-Z][a-z]+ at) \d\d:\d\d UTC\.")


def retry_sentence_in(text: str) -> bool:
    return RETRY_SENTENCE.search(text) is not None
