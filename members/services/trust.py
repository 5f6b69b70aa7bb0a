"""Trust levels: raised automatically by participation, or set by hand by a moderator.

A member starts at level 0 (probation, ``TrustLevel.PROBATION``) and rises as they take part:
``trust_level_earned`` compares the days since they joined and a small set of participation
counts with ``settings.MEMBERS_TRUST_REQUIREMENTS`` (every minimum of a level, and of the
levels below it, must be met). Automatic changes only ever raise a level; level 4 (leader) is
never reached automatically.

The counts come from the apps above members, which members never imports: each registers a
``ParticipationSource`` from its ``AppConfig.ready()``::

    from members.services.trust import register_participation_source
    register_participation_source("forum", forum_participation)

A source is ``callable(user_ids) -> {user_id: Participation}`` using a constant number of
queries; the counts of every source are added up. The counts (``Participation``):

- ``posts_written``: posts (threads' opening posts and replies) not hidden by a moderator;
- ``posts_read``: posts read (0 until read tracking reports it);
- ``upvotes_received``: up-votes from others on those posts;
- ``accepted_answers``: answers accepted as a question's solution.

Recomputing: ``trust_level_recompute`` for one member (the forum queues it, through
``trust_level_recompute_soon``, when a member's reply is voted up or accepted), and
``trust_levels_recompute`` for everyone (``manage.py trust_levels_recompute``, run daily).

``trust_level_set``: a moderator sets a level by hand. By default it is then locked: automatic
recomputing leaves it alone (neither raises nor lowers it) until a moderator unlocks it.
Every change is recorded as a ``TrustLevelChange``.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Profile, TrustLevel, TrustLevelChange, User
from members.roles import is_moderator, mfa_satisfied


@dataclass(frozen=True)
class Participation:
    """What a member has done that earns trust (see the module docstring)."""

    posts_written: int = 0
    posts_read: int = 0
    upvotes_received: int = 0
    accepted_answers: int = 0

    def __add__(self, other: "Participation") -> "Participation":
        return Participation(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


ParticipationSource = Callable[[Sequence[int]], Mapping[int, Participation]]
_sources: dict[str, ParticipationSource] = {}

HIGHEST_AUTOMATIC_LEVEL = TrustLevel.REGULAR


def register_participation_source(name: str, source: ParticipationSource) -> None:
    _sources[name] = source


def unregister_participation_source(name: str) -> None:
    """For tests."""
    _sources.pop(name, None)


def participation_of(user_ids: Sequence[int]) -> dict[int, Participation]:
    """Every registered source's counts for ``user_ids``, added up (zero when none)."""
    totals = {pk: Participation() for pk in user_ids}
    for source in _sources.values():
        for pk, counts in source(list(user_ids)).items():
            if pk in totals:
                totals[pk] = totals[pk] + counts
    return totals


def trust_level_earned(*, days_joined: int, participation: Participation) -> int:
    """The highest level whose requirements (and those of every level below) are all met."""
    requirements: Mapping[int, Mapping[str, int]] = getattr(
        settings, "MEMBERS_TRUST_REQUIREMENTS", {}
    )
    values = {"days_joined": days_joined}
    values.update({f.name: getattr(participation, f.name) for f in fields(participation)})
    earned = TrustLevel.PROBATION
    for level in sorted(requirements):
        if level > HIGHEST_AUTOMATIC_LEVEL:
            break
        if all(values.get(key, 0) >= minimum for key, minimum in requirements[level].items()):
            earned = level
        else:
            break
    return earned


def _days_joined(user: User, now) -> int:
    return max(0, (now - user.date_joined).days)


@transaction.atomic
def trust_level_recompute(*, user: User) -> int:
    """Raise ``user``'s trust level to what their participation has earned; return the level.

    Never lowers it, and leaves a level a moderator set by hand (locked) alone.
    """
    profile = Profile.objects.select_for_update().select_related("user").get(user_id=user.pk)
    if profile.trust_level_locked or profile.trust_level >= HIGHEST_AUTOMATIC_LEVEL:
        return profile.trust_level
    earned = trust_level_earned(
        days_joined=_days_joined(profile.user, timezone.now()),
        participation=participation_of([user.pk])[user.pk],
    )
    if earned > profile.trust_level:
        TrustLevelChange.objects.create(
            user_id=user.pk, from_level=profile.trust_level, to_level=earned
        )
        profile.trust_level = earned
        profile.save(update_fields=["trust_level", "updated_at"])
    return profile.trust_level


def trust_level_recompute_soon(*, user_id: int) -> None:
    """Queue ``trust_level_recompute`` for after the current transaction commits (a reply was
    voted up or accepted): the request that caused it does not wait for the counting."""
    from members.tasks import trust_level_recompute_task

    transaction.on_commit(lambda: trust_level_recompute_task.enqueue(user_id=user_id))


def trust_levels_recompute(*, user_ids: Iterable[int] | None = None, batch_size: int = 500) -> int:
    """Recompute every member (or ``user_ids``) in batches; return how many were raised.

    Each batch costs a constant number of queries: the profiles, each source's counts, and
    the writes for the members raised.
    """
    candidates = Profile.objects.filter(
        trust_level_locked=False,
        trust_level__lt=HIGHEST_AUTOMATIC_LEVEL,
        user__is_active=True,
    ).order_by("user_id")
    if user_ids is not None:
        candidates = candidates.filter(user_id__in=list(user_ids))
    raised = 0
    last_id = 0
    while True:
        batch = list(
            candidates.filter(user_id__gt=last_id).values_list(
                "user_id", "trust_level", "user__date_joined"
            )[:batch_size]
        )
        if not batch:
            return raised
        last_id = batch[-1][0]
        raised += _recompute_batch(batch)


@transaction.atomic
def _recompute_batch(batch: list[tuple]) -> int:
    now = timezone.now()
    counts = participation_of([row[0] for row in batch])
    changes = []
    for user_id, level, date_joined in batch:
        earned = trust_level_earned(
            days_joined=max(0, (now - date_joined).days), participation=counts[user_id]
        )
        if earned > level:
            changes.append(TrustLevelChange(user_id=user_id, from_level=level, to_level=earned))
    for change in changes:
        # Re-checked in the UPDATE: a moderator may have locked the level in the meantime.
        Profile.objects.filter(
            user_id=change.user_id, trust_level_locked=False, trust_level__lt=change.to_level
        ).update(trust_level=change.to_level, updated_at=now)
    TrustLevelChange.objects.bulk_create(changes)
    return len(changes)


@transaction.atomic
def trust_level_set(
    *, user: User, level: int, actor: User, reason: str = "", locked: bool = True
) -> Profile:
    """A moderator sets ``user``'s trust level by hand.

    ``locked`` (the default) keeps it there: automatic recomputing no longer changes it.
    ``locked=False`` hands the level back to participation (from ``level`` upwards).
    """
    if not is_moderator(actor):
        raise PermissionDenied(_("Only moderators can set a member's trust level."))
    if not mfa_satisfied(actor):
        raise PermissionDenied(_("Set up two-factor authentication before using moderator powers."))
    if level not in TrustLevel.values:
        raise ValidationError(
            {"level": _("Choose a trust level from 0 (new member) to 4 (leader).")}
        )
    reason = (reason or "").strip()
    if len(reason) > 255:
        raise ValidationError({"reason": _("Keep the reason to 255 characters or fewer.")})
    profile = Profile.objects.select_for_update().get(user_id=user.pk)
    if profile.trust_level == level and profile.trust_level_locked == locked:
        return profile
    TrustLevelChange.objects.create(
        user_id=user.pk,
        from_level=profile.trust_level,
        to_level=level,
        actor=actor,
        locked=locked,
        reason=reason,
    )
    profile.trust_level = level
    profile.trust_level_locked = locked
    profile.save(update_fields=["trust_level", "trust_level_locked", "updated_at"])
    return profile
