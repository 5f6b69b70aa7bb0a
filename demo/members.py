"""Demo accounts for ``seed_demo``: one per role, with a published development password.

Moderators, editors and admins must use two-factor authentication, so their demo accounts
come with a TOTP authenticator whose secret is published here (development only). Add
``DEMO_TOTP_SECRET`` to any authenticator app, or print the current code with
``manage.py demo_totp_code``.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.utils import timezone

from demo.data_files import Choice
from members import roles
from members.models import (
    NotificationEmail,
    OrganisationType,
    Profile,
    SpecialistGroup,
    TrustLevel,
    User,
)
from members.services.profiles import profile_update
from members.services.roles import user_roles_set

DEMO_PASSWORD = "demo-pcc-hub-2026"
DEMO_TOTP_SECRET = "PCCHUBDEMOONLYPCCHUBDEMOONLY2345"  # base32; development only


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    totp_secret: str = ""


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    name: str
    job_title: str
    organisation: str
    organisation_type: str
    country_iso: str
    expertise: tuple[str, ...]
    specialist_group: str = SpecialistGroup.PCC
    other_specialist_group: str = ""
    is_superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        roles.ADMIN, "admin@demo.pcc-hub.test", "Ada Admin", "Platform lead",
        "PCC Specialist Group", OrganisationType.NGO, "NL", ("research-and-evaluation",),
        is_superuser=True,
    ),
    DemoAccount(
        roles.MEMBER, "member@demo.pcc-hub.test", "Mara Member", "Customer engagement lead",
        "Lakeside Water Utility", OrganisationType.UTILITY, "KE",
        ("social-media", "customer-experience-and-trust"),
    ),
    DemoAccount(
        roles.GUEST, "guest@demo.pcc-hub.test", "Gabe Guest", "Asset manager",
        "Delta Water Board", OrganisationType.GOVERNMENT, "BR", ("tariffs-and-investment",),
        specialist_group=SpecialistGroup.OTHER, other_specialist_group="Water Loss",
    ),
    DemoAccount(
        roles.MODERATOR, "moderator@demo.pcc-hub.test", "Moe Moderator", "Communications adviser",
        "Regional Water Association", OrganisationType.REGIONAL, "AU",
        ("risk-and-crisis-communication",),
    ),
    DemoAccount(
        roles.EDITOR, "editor@demo.pcc-hub.test", "Eddie Editor", "Knowledge manager",
        "Clearwater Consulting", OrganisationType.CONSULTANCY, "GB",
        ("behaviour-change-and-conservation", "research-and-evaluation"),
    ),
]  # fmt: skip

# Data files that name a demo account are checked against these (``demo.data_files``).
DEMO_LOGIN = Choice(
    frozenset(account.email for account in DEMO_ACCOUNTS), "demo login (demo/members.py)"
)

_ROLE_SETS = {
    roles.ADMIN: {roles.MEMBER, roles.ADMIN},
    roles.MEMBER: {roles.MEMBER},
    roles.GUEST: {roles.GUEST},
    roles.MODERATOR: {roles.MEMBER, roles.MODERATOR},
    roles.EDITOR: {roles.MEMBER, roles.EDITOR},
}


def _seed_totp(user: User) -> None:
    """Give a privileged demo account the published TOTP secret and recovery codes."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


def seed_demo_members() -> list[DemoLogin]:
    """Create or refresh the demo accounts; return their logins for printing."""
    country_model = apps.get_model("taxonomy", "Country")
    topic_model = apps.get_model("taxonomy", "Topic")
    logins = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "display_name": account.name,
                "is_staff": account.is_superuser,
                "is_superuser": account.is_superuser,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        profile_update(
            user=user,
            display_name=account.name,
            job_title=account.job_title,
            organisation=account.organisation,
            organisation_type=account.organisation_type,
            country=country_model.objects.filter(iso_alpha2=account.country_iso).first(),
            expertise=topic_model.objects.filter(slug__in=account.expertise),
            bio=f"Demo account for the **{account.role}** role. Not a real person.",
            notification_email=NotificationEmail.NONE,
        )
        Profile.objects.filter(user=user).update(
            specialist_group=account.specialist_group,
            other_specialist_group=account.other_specialist_group,
            onboarded_at=timezone.now(),
            trust_level=TrustLevel.REGULAR,  # new accounts' rate limits would stop the seeding
        )
        user_roles_set(user=user, roles_wanted=_ROLE_SETS[account.role], actor=None, note="Demo")
        secret = ""
        if account.role in roles.PRIVILEGED_ROLES:
            _seed_totp(user)
            secret = DEMO_TOTP_SECRET
        logins.append(
            DemoLogin(
                role=account.role, email=account.email, password=DEMO_PASSWORD, totp_secret=secret
            )
        )
    return logins
