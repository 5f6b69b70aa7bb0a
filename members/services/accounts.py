"""Deleting an account: personal data goes, the row stays as "Former member".

Forum posts and KB contributions point at the user row, so threads stay readable; everything
that identifies the person is erased, the email address becomes free for a new sign-up, and
the deletion is recorded in ``AccountDeletionLog`` (which holds no personal data) and logged.
"""

import logging

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import FORMER_MEMBER_NAME, AccountDeletionLog, Notification, Profile, User
from members.services.roles import user_roles_set
from members.signals import account_deleting

logger = logging.getLogger("members.accounts")


def former_member_email(user: User) -> str:
    """A unique, undeliverable address (RFC 2606 ``.invalid``) that frees the real one."""
    return f"former-member-{user.pk}@deleted.invalid"


@transaction.atomic
def account_delete(*, user: User, actor: User | None = None) -> AccountDeletionLog:
    """Erase ``user``'s personal data, deactivate the account and log the deletion.

    ``actor`` is None (or the user) for self-service deletion, or the admin deleting it; only
    admins may delete someone else's account. A superuser must be demoted by another admin
    before the account can be deleted, so the site never loses its last operator by accident.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_former_member:
        raise ValidationError(_("This account has already been deleted."))
    by_member = actor is None or actor.pk == user.pk
    if not by_member and not (actor.is_superuser or actor.has_perm("members.change_member_roles")):
        raise PermissionDenied(_("Only admins can delete someone else's account."))
    if user.is_superuser:
        raise ValidationError(
            _(
                "Superuser accounts cannot be deleted here; ask another admin to remove the "
                "superuser status first."
            )
        )

    account_deleting.send(sender=User, user=user)

    user_roles_set(user=user, roles_wanted=set(), actor=None, note="Account deleted")
    user.user_permissions.clear()
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    wagtail_profile = apps.get_model("wagtailusers", "UserProfile")
    wagtail_profile.objects.filter(user=user).delete()

    profile, _created = Profile.objects.get_or_create(user=user)
    avatar_name = profile.avatar.name if profile.avatar else ""
    storage = profile.avatar.storage
    profile.organisation = ""
    profile.organisation_type = ""
    profile.country = None
    profile.job_title = ""
    profile.bio = ""
    profile.bio_html = ""
    profile.avatar = ""
    profile.specialist_group = ""
    profile.other_specialist_group = ""
    profile.save()
    profile.expertise.clear()
    if avatar_name:
        transaction.on_commit(lambda: storage.delete(avatar_name))

    now = timezone.now()
    user.email = former_member_email(user)
    user.display_name = ""
    # Wagtail's admin shows get_full_name(); make it read "Former member" there too.
    user.first_name = str(FORMER_MEMBER_NAME)
    user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.deleted_at = now
    user.save()

    log = AccountDeletionLog.objects.create(
        user=user,
        initiated_by=(
            AccountDeletionLog.InitiatedBy.MEMBER
            if by_member
            else AccountDeletionLog.InitiatedBy.ADMIN
        ),
        actor=None if by_member else actor,
        deleted_at=now,
    )
    logger.info(
        "account %s deleted by %s", user.pk, "the member" if by_member else f"admin {actor.pk}"
    )
    return log
