"""Demo accounts for ``seed_demo``: one per role, with a published development password."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from members.models import User

DEMO_PASSWORD = "demo-pcc-hub-2026"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


DEMO_ACCOUNTS = [
    # (role, email, display name, is_staff, is_superuser)
    ("admin", "admin@demo.pcc-hub.test", "Ada Admin", True, True),
    ("member", "member@demo.pcc-hub.test", "Mara Member", False, False),
]


def seed_demo_members() -> list[DemoLogin]:
    """Create or refresh the demo accounts; return their logins for printing."""
    logins = []
    for role, email, name, is_staff, is_superuser in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"display_name": name, "is_staff": is_staff, "is_superuser": is_superuser},
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        logins.append(DemoLogin(role=role, email=email, password=DEMO_PASSWORD))
    return logins
