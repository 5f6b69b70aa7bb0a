"""Members' models: accounts, profiles, the notification feed and audit records."""

from members.models.audit import AccountDeletionLog, ModerationLog, RoleChange
from members.models.digests import DigestFrequency, DigestReceipt, DigestStatus
from members.models.notifications import EmailDelivery, Notification
from members.models.profiles import (
    NotificationEmail,
    OrganisationType,
    Profile,
    SpecialistGroup,
    TrustLevel,
)
from members.models.suspensions import Suspension
from members.models.trust import TrustLevelChange
from members.models.users import FORMER_MEMBER_NAME, User, UserManager

__all__ = [
    "FORMER_MEMBER_NAME",
    "AccountDeletionLog",
    "DigestFrequency",
    "DigestReceipt",
    "DigestStatus",
    "EmailDelivery",
    "ModerationLog",
    "Notification",
    "NotificationEmail",
    "OrganisationType",
    "Profile",
    "RoleChange",
    "SpecialistGroup",
    "Suspension",
    "TrustLevel",
    "TrustLevelChange",
    "User",
    "UserManager",
]
