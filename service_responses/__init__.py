"""The one way views turn the errors services raise into form errors and HTTP answers.

The contract with services (every app): a service refuses with Django's own exceptions and a
complete sentence fit to show the user:

- ``django.core.exceptions.ValidationError``: the input is unacceptable. When one field's
  input is at fault the error is keyed by that field's name,
  ``ValidationError({"title": "Give the thread a title."})``; otherwise it is a plain message.
- ``django.core.exceptions.PermissionDenied``: this user may not do this.
- ``RateLimited`` (below, a ValidationError): not now, too many of these lately; it carries
  when the limit resets.

Views then use one of three things from here:

- ``copy_to_form(form, error)``: a ValidationError onto a form that is re-rendered.
- ``ServiceErrors``: a context manager around a service call in a view with a form.
- ``answers_service_errors``: a decorator for views that only act (vote, accept...).

Pages enhanced by JavaScript send ``Accept: application/json`` and get
``{"error": "<message>"}`` with status 400 (ValidationError), 403 (PermissionDenied) or 429
(RateLimited, with a ``Retry-After`` header in seconds) instead of a page. For HTML the caller
passes its app's refusal ``page``, because each app has its own.

No domain knowledge lives here, so every layer may import it.
"""

import math
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from http import HTTPStatus
from types import TracebackType

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RefusalPage = Callable[[HttpRequest, str, int], HttpResponse]
"""``page(request, message, status)``: an app's HTML page saying why an action was refused."""

NOT_ALLOWED = _("You are not allowed to do this.")

__all__ = [
    "RateLimited",
    "ServiceErrors",
    "answers_service_errors",
    "copy_to_form",
    "error_message",
    "error_response",
    "refusal",
    "wants_json",
]


class RateLimited(ValidationError):
    """The action is refused for now because a rate limit applies; ``retry_at`` is when it
    resets. The message says which limit and when, so a form shows it like any other error;
    JSON answers get 429 and ``Retry-After``."""

    def __init__(self, message: str, *, retry_at: datetime) -> None:
        super().__init__(message, code="rate_limited")
        self.retry_at = retry_at

    def retry_after_seconds(self) -> int:
        """Whole seconds from now until ``retry_at``, at least 1."""
        return max(1, math.ceil((self.retry_at - timezone.now()).total_seconds()))


def wants_json(request: HttpRequest) -> bool:
    """Whether the page's JavaScript asked for JSON rather than a page."""
    return "application/json" in request.headers.get("Accept", "")


def error_message(error: ValidationError | PermissionDenied) -> str:
    """The error as one text for the user: a ValidationError's messages joined by spaces."""
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error) or str(NOT_ALLOWED)


def error_status(error: ValidationError | PermissionDenied) -> int:
    if isinstance(error, RateLimited):
        return HTTPStatus.TOO_MANY_REQUESTS
    return HTTPStatus.BAD_REQUEST if isinstance(error, ValidationError) else HTTPStatus.FORBIDDEN


def refusal(request: HttpRequest, message: str, status: int, *, page: RefusalPage) -> HttpResponse:
    """Say why the action was refused: ``{"error": message}`` if JSON was asked for, else
    the app's ``page``."""
    if wants_json(request):
        return JsonResponse({"error": str(message)}, status=status)
    return page(request, message, status)


def error_response(
    request: HttpRequest, error: ValidationError | PermissionDenied, *, page: RefusalPage
) -> HttpResponse:
    """A ``refusal`` with the error's message: 400 for a ValidationError, 403 for
    PermissionDenied, 429 with ``Retry-After`` for RateLimited."""
    response = refusal(request, error_message(error), error_status(error), page=page)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after_seconds())
    return response


def copy_to_form(form: BaseForm, error: ValidationError) -> None:
    """Put ``error``'s messages on ``form``: keyed ones on the field they name when the form has
    it, everything else (plain messages, keys the form lacks) as non-field errors."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _names_hidden_field(form: BaseForm, error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and any(
        field in form.fields and form[field].is_hidden for field in error.error_dict
    )


class ServiceErrors:
    """Catches a service's ValidationError or PermissionDenied in a view with a form.

    ::

        with ServiceErrors(request, form=form, page=paged) as call:
            thread = thread_create(...)
        if call.response is not None:
            return call.response
        if not call.failed:
            return redirect(thread.get_absolute_url())
        # else: fall through and re-render the form, which now shows the errors

    A ValidationError goes onto the form (``copy_to_form``) and ``response`` stays None, so the
    view re-renders it. Three cases get a ``response`` instead: PermissionDenied (403), a JSON
    request (400 with ``{"error": ...}``), and an error naming a hidden field, which the person
    cannot correct in the form (400 via ``page``). Without a form, every ValidationError gets
    a 400 response. Any other exception propagates.
    """

    def __init__(
        self, request: HttpRequest, *, page: RefusalPage, form: BaseForm | None = None
    ) -> None:
        self.request = request
        self.page = page
        self.form = form
        self.failed = False
        self.response: HttpResponse | None = None

    def __enter__(self) -> "ServiceErrors":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if not isinstance(error, ValidationError | PermissionDenied):
            return False
        self.failed = True
        if (
            isinstance(error, ValidationError)
            and self.form is not None
            and not wants_json(self.request)
            and not _names_hidden_field(self.form, error)
        ):
            copy_to_form(self.form, error)
        else:
            self.response = error_response(self.request, error, page=self.page)
        return True


def answers_service_errors(page: RefusalPage) -> Callable:
    """Decorate a view that acts without a form: a ValidationError or PermissionDenied it lets
    out becomes ``error_response`` (400 or 403, JSON if asked for, else ``page``)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except (ValidationError, PermissionDenied) as error:
                return error_response(request, error, page=page)

        return wrapper

    return decorator
