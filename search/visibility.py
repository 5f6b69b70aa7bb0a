"""Who may see which search document, as tokens (design.md section 6, "Permissions").

A document carries the tokens of which a requester needs at least one
(``SearchDocument.visibility``); ``requester_tokens(user)`` is the set a requester holds. The
rules mirror ``forum.permissions`` and ``kb.access`` exactly:

| document                                   | tokens                                   |
|--------------------------------------------|------------------------------------------|
| public page or public category             | public                                   |
| members-only page or members category      | members                                  |
| public category restricted to group g      | group:g, moderators                      |
| members category restricted to group g     | members-group:g, moderators              |

| requester                      | tokens                                                 |
|--------------------------------|--------------------------------------------------------|
| visitor, or signed in without a role | public                                           |
| member, guest, editor, admin         | + members, group:g and members-group:g per group |
| moderator (and admin)                | + moderators                                     |
"""

from members.roles import AnyUser, can_read_members_content, group_ids, is_moderator
from search.documents import MEMBERS, MODERATORS, PUBLIC, group_token, members_group_token


def requester_tokens(user: AnyUser) -> frozenset[str]:
    """The visibility tokens ``user`` holds (one query for a reader's groups, shared with
    ``members.roles.role_names``)."""
    tokens = {PUBLIC}
    if not can_read_members_content(user):  # as forum.permissions.readable_categories
        return frozenset(tokens)
    tokens.add(MEMBERS)
    for pk in sorted(group_ids(user)):
        tokens.update((group_token(pk), members_group_token(pk)))
    if is_moderator(user):
        tokens.add(MODERATORS)
    return frozenset(tokens)


def category_tokens(*, members_only: bool, group_id: int | None) -> tuple[str, ...]:
    """The tokens of a forum category's threads."""
    if group_id is None:
        return (MEMBERS,) if members_only else (PUBLIC,)
    if members_only:
        return (members_group_token(group_id), MODERATORS)
    return (group_token(group_id), MODERATORS)


def page_tokens(*, members_only: bool) -> tuple[str, ...]:
    """The tokens of a KB page: members-only pages (any view restriction) are for members."""
    return (MEMBERS,) if members_only else (PUBLIC,)
