"""The hub account: email is the login, there is no username."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

FORMER_MEMBER_NAME = _("Former member")
"""What a deleted account is called wherever it appears: posts, quotes, lists, templates
(``{% former_member_name %}`` from ``members_tags``). The one spelling of it."""


class UserManager(BaseUserManager["User"]):
    """Email is the login; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A hub account. The email address is private: templates show ``public_name`` only.

    A deleted account keeps its row (so forum posts stay attributed) but loses every piece of
    personal data; ``deleted_at`` is then set and ``public_name`` reads "Former member".
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text=_("Shown beside your posts and contributions."),
        verbose_name=_("display name"),
    )
    deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the member deleted their account; the row stays as a former member."),
        verbose_name=_("deleted at"),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name", "id"]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name others see; never the email address."""
        if self.deleted_at is not None:
            return str(FORMER_MEMBER_NAME)
        return self.display_name or self.get_full_name() or f"Member {self.pk}"

    @property
    def is_former_member(self) -> bool:
        return self.deleted_at is not None
