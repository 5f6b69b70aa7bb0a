import factory
from django.apps import apps
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


def country(
    iso_alpha2: str = "KE",
    name: str = "Kenya",
    m49_code: str = "404",
    region_slug: str = "sub-saharan-africa",
):
    """A kb.Country row for tests (get-or-create by ISO code: the KB may already load them)."""
    region_model = apps.get_model("kb", "Region")
    country_model = apps.get_model("kb", "Country")
    # get_or_create: transactional (browser) tests flush the rows the kb migration loaded.
    region, _ = region_model.objects.get_or_create(
        slug=region_slug, defaults={"name": region_slug.replace("-", " ").capitalize()}
    )
    found, _ = country_model.objects.get_or_create(
        iso_alpha2=iso_alpha2,
        defaults={
            "name": name,
            "m49_code": m49_code,
            "slug": name.lower().replace(" ", "-"),
            "region": region,
        },
    )
    return found


def topic(slug: str):
    """A taxonomy Topic by slug: the kb migration loads them, but transactional (browser) tests
    flush those rows, so create it when missing."""
    found, _ = apps.get_model("kb", "Topic").objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").capitalize()}
    )
    return found
