"""Django admin for accounts: profiles inline, roles changed through the role service.

The groups field is not editable here: roles are set with the "Roles" field, which calls
``members.services.roles.user_roles_set`` so every promotion and demotion is checked and
logged. The admin's own login page redirects to allauth's, so two-factor authentication
applies there too.
"""

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from members import roles
from members.models import (
    AccountDeletionLog,
    DigestReceipt,
    Notification,
    Profile,
    RoleChange,
    User,
)
from members.services.roles import user_roles_set

admin.site.login = secure_admin_login(admin.site.login)


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            choices=[(name, roles.ROLE_LABELS[name]) for name in roles.ALL_ROLES],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Roles"),
            help_text=_("Member and guest exclude each other. Changes are logged."),
            **kwargs,
        )


class UserChangeWithRolesForm(UserChangeForm):
    roles = RolesField()

    class Meta(UserChangeForm.Meta):
        model = User
        fields = ["email", "password", "display_name", "first_name", "last_name", "is_active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = list(
                self.instance.groups.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True)
            )

    def clean_roles(self) -> list[str]:
        chosen = self.cleaned_data["roles"]
        if {roles.MEMBER, roles.GUEST} <= set(chosen):
            raise ValidationError(_("Choose member or guest, not both."))
        return chosen


class UserCreationWithEmailForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["email"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = [
        "organisation",
        "organisation_type",
        "country",
        "job_title",
        "expertise",
        "specialist_group",
        "other_specialist_group",
        "notification_email",
        "onboarded_at",
    ]
    readonly_fields = ["onboarded_at"]
    filter_horizontal = ["expertise"]
    autocomplete_fields: list[str] = []


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeWithRolesForm
    add_form = UserCreationWithEmailForm
    ordering = ["email"]
    list_display = ["email", "display_name", "role_list", "is_active", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "display_name", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined", "deleted_at", "is_staff", "is_superuser"]
    inlines = [ProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name")}),
        (_("Roles"), {"fields": ("roles", "is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "deleted_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_inlines(self, request, obj):
        """No profile form on the add page: the profile is created with the account."""
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("Roles"))
    def role_list(self, obj: User) -> str:
        names = [group.name for group in obj.groups.all() if group.name in roles.ALL_ROLES]
        return ", ".join(sorted(names)) or "—"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "roles" in form.cleaned_data:
            try:
                user_roles_set(
                    user=obj,
                    roles_wanted=set(form.cleaned_data["roles"]),
                    actor=request.user,
                    note="Django admin",
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit trails and delivery records: visible to support, never edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "role", "granted", "actor", "via", "note"]
    list_filter = ["role", "granted", "via"]
    search_fields = ["user__email", "user__display_name"]
    list_select_related = ["user", "actor"]


@admin.register(AccountDeletionLog)
class AccountDeletionLogAdmin(ReadOnlyAdmin):
    list_display = ["deleted_at", "user_id", "initiated_by", "actor"]
    list_filter = ["initiated_by"]
    list_select_related = ["actor"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Read-only view for support: why did (or didn't) an email go out?"""

    list_display = ["created_at", "recipient", "kind", "title", "email_status", "email_attempts"]
    list_filter = ["email_status", "kind"]
    search_fields = ["recipient__email", "title"]
    list_select_related = ["recipient"]
    readonly_fields = [field.name for field in Notification._meta.fields]


@admin.register(DigestReceipt)
class DigestReceiptAdmin(ReadOnlyAdmin):
    """Read-only: which digests went out, and which failed after every retry."""

    list_display = ["created_at", "member", "frequency", "period", "status", "attempts", "sent_at"]
    list_filter = ["status", "frequency"]
    search_fields = ["member__email", "period"]
    list_select_related = ["member"]
    readonly_fields = [field.name for field in DigestReceipt._meta.fields]
