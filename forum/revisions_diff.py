"""Word-level differences between the versions of a post, for its edit history.

The diff runs over the stored Markdown text (``PostRevision.body``, ``Post.body``), never over
HTML, and its output is built with ``format_html``: every word is escaped, and the only markup
is the ``<ins>`` and ``<del>`` this module writes. Pages print it as it is.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from forum.models import Post, PostRevision

# A word with the spaces before it, or the spaces at the very end: joined, the tokens give
# back the text exactly, so the unchanged stretches keep their line breaks.
_TOKENS = re.compile(r"\s*\S+|\s+")


def _words(text: str) -> list[str]:
    return _TOKENS.findall(text)


def word_diff_html(old: str, new: str) -> SafeString:
    """``new`` as an edit of ``old``: removed words in ``<del>``, added ones in ``<ins>``,
    unchanged ones as they are; all text escaped."""
    before, after = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(a=before, b=after)
    pieces: list[tuple[str, str]] = []
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed = "".join(before[a_start:a_end])
        added = "".join(after[b_start:b_end])
        if tag == "equal":
            pieces.append(("{}", removed))
            continue
        if removed:
            pieces.append(('<del class="diff-del">{}</del>', removed))
        if added:
            pieces.append(('<ins class="diff-ins">{}</ins>', added))
    return format_html_join("", "{}", ((format_html(pattern, text),) for pattern, text in pieces))


@dataclass(frozen=True)
class RevisionChange:
    """One edit of a post: the version it replaced, and what changed from it to the next."""

    revision: PostRevision
    next_number: int  # the version the edit produced
    next_is_current: bool
    body_diff: SafeString
    title_diff: SafeString  # empty unless the thread title changed (opening posts)
    replaced_at: datetime


def revision_changes(
    post: Post, revisions: list[PostRevision], *, current_title: str = ""
) -> list[RevisionChange]:
    """Each edit of ``post``, newest first: revision n compared with revision n + 1 (the
    current text for the newest). ``revisions`` are the post's revisions in any order;
    ``current_title`` is the thread's title, for an opening post."""
    ordered = sorted(revisions, key=lambda revision: revision.number)
    changes = []
    for index, revision in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        next_body = following.body if following else post.body
        next_title = following.title if following else current_title
        title_diff = SafeString()
        if revision.title and next_title and revision.title != next_title:
            title_diff = word_diff_html(revision.title, next_title)
        changes.append(
            RevisionChange(
                revision=revision,
                next_number=revision.number + 1,
                next_is_current=following is None,
                body_diff=word_diff_html(revision.body, next_body),
                title_diff=title_diff,
                replaced_at=revision.replaced_at,
            )
        )
    changes.reverse()
    return changes
