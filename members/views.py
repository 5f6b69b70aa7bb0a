"""Members' pages: profiles, the directory, the welcome step, notifications and privacy.

Views parse input, call a form or service, and render. State changes are POST-only.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import roles
from members.adapters import needs_onboarding
from members.contributions import member_contributions
from members.data_export import member_data_export
from members.forms import (
    AccountDeleteForm,
    DirectoryFilterForm,
    OnboardingForm,
    ProfileForm,
    VerificationResendForm,
)
from members.models import FORMER_MEMBER_NAME, Profile
from members.selectors import (
    DirectoryFilters,
    member_directory,
    notification_feed,
    notification_groups,
    profile_public_get,
)
from members.services.accounts import account_delete
from members.services.email_verification import email_verification_resend
from members.services.notifications import notification_mark_all_read, notification_mark_read
from members.services.profiles import (
    profile_avatar_remove,
    profile_avatar_set,
    profile_onboard,
    profile_update,
)
from members.services.suspensions import active_suspension
from pagination import paginate
from service_responses import copy_to_form

DIRECTORY_PAGE_SIZE = 30
NOTIFICATIONS_PAGE_SIZE = 30


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


# ---- Profiles and the directory ----


@require_GET
def profile_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """Public: name, organisation, country, expertise, bio and contributions. Never the email."""
    profile = profile_public_get(user_id=user_id)
    if profile is None:
        raise Http404("No such member.")
    return render(
        request,
        "members/profile_detail.html",
        {
            "profile": profile,
            "member": profile.user,
            "contributions": member_contributions(profile.user),
            "viewer_can_use_directory": roles.can_read_members_content(request.user),
            "is_own_profile": request.user.pk == profile.user_id,
        },
    )


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """Members-only: members and guests may browse; filters by country, region, type, topic."""
    if not roles.can_read_members_content(request.user):
        if needs_onboarding(request.user):
            return redirect(f"{reverse('members:welcome')}?next={reverse('members:directory')}")
        raise PermissionDenied(_("The directory is for members."))
    form = DirectoryFilterForm(request.GET or None)
    filters = DirectoryFilters()
    if form.is_bound:
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        filters = DirectoryFilters(
            query=(data.get("q") or "").strip(),
            country=data["country"].iso_alpha2 if data.get("country") else "",
            region=data["region"].slug if data.get("region") else "",
            organisation_type=data.get("organisation_type") or "",
            expertise=data["expertise"].slug if data.get("expertise") else "",
        )
    page = paginate(member_directory(filters), request.GET.get("page"), DIRECTORY_PAGE_SIZE)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "members/directory.html",
        {
            "form": form,
            "window": page.window,
            "profiles": page.items,
            "filter_query": query_without_page.urlencode(),
            "is_filtered": any(vars(filters).values()),
        },
    )


# ---- Welcome step and profile editing ----


@login_required
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    """After email verification: complete the profile and choose email preferences."""
    next_url = _safe_next(request, reverse("members:profile", args=[request.user.pk]))
    if not needs_onboarding(request.user) and request.method == "GET":
        return redirect(next_url)
    user = request.user
    if request.method == "POST":
        form = OnboardingForm(request.POST)
        if form.is_valid():
            try:
                profile_onboard(
                    user=user,
                    specialist_group=form.cleaned_data["specialist_group"],
                    other_specialist_group=form.cleaned_data.get("other_specialist_group", ""),
                    notification_email=form.cleaned_data["notification_email"],
                    **form.profile_values(),
                )
            except ValidationError as error:
                copy_to_form(form, error)
            else:
                messages.success(request, _("Welcome to the hub! Your profile is ready."))
                return redirect(next_url)
    else:
        form = OnboardingForm(initial={"display_name": user.display_name})
    return render(request, "members/welcome.html", {"form": form, "next": next_url})


def _profile_initial(profile: Profile) -> dict:
    return {
        "display_name": profile.user.display_name,
        "job_title": profile.job_title,
        "organisation": profile.organisation,
        "organisation_type": profile.organisation_type,
        "country": profile.country.iso_alpha2 if profile.country_id else None,
        "expertise": [topic.slug for topic in profile.expertise.all()],
        "bio": profile.bio,
        "notification_email": profile.notification_email,
    }


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Every account has a profile (members.receivers), so reading it never writes.
    profile = (
        Profile.objects.select_related("user", "country")
        .prefetch_related("expertise")
        .get(user=user)
    )
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, has_avatar=bool(profile.avatar))
        if form.is_valid():
            try:
                profile_update(
                    user=user,
                    notification_email=form.cleaned_data["notification_email"],
                    **form.profile_values(),
                )
                if form.cleaned_data.get("avatar"):
                    profile_avatar_set(user=user, upload=form.cleaned_data["avatar"])
                elif form.cleaned_data.get("remove_avatar"):
                    profile_avatar_remove(user=user)
            except ValidationError as error:
                copy_to_form(form, error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("members:profile_edit")
    else:
        form = ProfileForm(initial=_profile_initial(profile), has_avatar=bool(profile.avatar))
    return render(request, "members/profile_edit.html", {"form": form, "profile": profile})


# ---- Notifications ----


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        notification_feed(user=request.user), request.GET.get("page"), NOTIFICATIONS_PAGE_SIZE
    )
    return render(
        request,
        "members/notification_list.html",
        {
            "window": page.window,
            "notifications": page.items,
            "groups": notification_groups(page.items),
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    if not notification_mark_read(user=request.user, notification_id=notification_id):
        raise Http404("No such notification.")
    if request.headers.get("Accept") == "application/json":
        return HttpResponse(status=204)
    return redirect(_safe_next(request, reverse("members:notifications")))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect(_safe_next(request, reverse("members:notifications")))


# ---- Suspension ----


@login_required
@require_GET
def suspension(request: HttpRequest) -> HttpResponse:
    """The member's own suspension, if any: until when and why."""
    return render(
        request, "members/suspension.html", {"suspension": active_suspension(request.user)}
    )


# ---- Privacy: export and deletion ----


@login_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "members/privacy.html")


@never_cache
@login_required
@require_POST
def data_export(request: HttpRequest) -> HttpResponse:
    """The member's data as a JSON download (POST, so links and prefetchers never trigger it)."""
    data = member_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"pcc-hub-my-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete_confirm(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user, actor=request.user)
        except ValidationError as error:
            copy_to_form(form, error)
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is deleted. Your personal data is gone; your forum posts now "
                    "show as written by “%(name)s”."
                )
                % {"name": FORMER_MEMBER_NAME},
            )
            return redirect("/")
    return render(request, "members/account_delete.html", {"form": form})


# ---- Email verification: the "link expired" page's resend form ----


@require_http_methods(["GET", "POST"])
def verification_resend(request: HttpRequest) -> HttpResponse:
    form = VerificationResendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email_verification_resend(request=request, email=form.cleaned_data["email"])
        # The same answer whether or not the address is registered (no account enumeration).
        return render(
            request,
            "members/verification_resend_done.html",
            {"email": form.cleaned_data["email"]},
        )
    return render(request, "members/verification_resend.html", {"form": form})
