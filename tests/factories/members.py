import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from members.models import NotificationEmail, Profile, SpecialistGroup, User

DEFAULT_PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(DjangoModelFactory[User]):
    """A verified, active account. Pass ``password=`` to choose the password and
    ``roles=["member"]`` to put it in role groups (by default it holds no role)."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    display_name = factory.Faker("name")
    is_active = True

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Record the email as verified (allauth), unless ``verified=False`` is passed."""
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=obj,
                email=obj.email,
                defaults={"verified": extracted is not False, "primary": True},
            )

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in extracted])


class MemberFactory(UserFactory):
    """A PCC member who has completed the welcome step (profile filled in, member role)."""

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        """``member`` unless given, e.g. ``roles=["guest"]`` or ``roles=["member", "editor"]``."""
        if create:
            names = ["member"] if extracted is None else extracted
            obj.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in names])

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if not create:
            return
        values = {
            "organisation": "Example Water Utility",
            "organisation_type": "utility",
            "job_title": "Customer engagement lead",
            "specialist_group": SpecialistGroup.PCC,
            "notification_email": NotificationEmail.IMMEDIATE,
            "onboarded_at": timezone.now(),
        }
        values.update(kwargs)
        Profile.objects.filter(user=obj).update(**values)
