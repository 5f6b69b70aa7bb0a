"""service_responses: service errors become form errors, refusal pages or JSON, one way."""

import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from service_responses import (
    RateLimited,
    ServiceErrors,
    answers_service_errors,
    copy_to_form,
    error_response,
    wants_json,
)


class TitleForm(forms.Form):
    title = forms.CharField(required=False)
    token = forms.CharField(required=False, widget=forms.HiddenInput)


def bound_form() -> TitleForm:
    form = TitleForm({"title": "x", "token": "t"})
    assert form.is_valid()
    return form


def page(request, message, status) -> HttpResponse:
    return HttpResponse(f"refused: {message}", status=status)


def html_request():
    return RequestFactory().post("/")


def json_request():
    return RequestFactory().post("/", headers={"accept": "application/json"})


# ---- copy_to_form ----


def test_a_field_keyed_error_goes_to_that_field():
    form = bound_form()
    copy_to_form(form, ValidationError({"title": "Give the thread a title."}))
    assert form.errors == {"title": ["Give the thread a title."]}


def test_a_plain_error_and_a_key_the_form_lacks_become_non_field_errors():
    form = bound_form()
    copy_to_form(form, ValidationError("The knowledge base is not set up yet."))
    copy_to_form(form, ValidationError({"kb_pages": "Link at most 10 pages."}))
    assert form.non_field_errors() == [
        "The knowledge base is not set up yet.",
        "Link at most 10 pages.",
    ]
    assert "kb_pages" not in form.errors


def test_every_message_of_a_list_error_is_kept():
    form = bound_form()
    copy_to_form(form, ValidationError(["First problem.", "Second problem."]))
    assert form.non_field_errors() == ["First problem.", "Second problem."]


# ---- ServiceErrors ----


def test_nothing_raised_means_no_failure_and_no_response():
    with ServiceErrors(html_request(), form=bound_form(), page=page) as call:
        pass
    assert not call.failed
    assert call.response is None


def test_a_validation_error_lands_on_the_form_for_re_rendering():
    form = bound_form()
    with ServiceErrors(html_request(), form=form, page=page) as call:
        raise ValidationError({"title": "Too long."})
    assert call.failed
    assert call.response is None
    assert form.errors["title"] == ["Too long."]


def test_an_error_on_a_hidden_field_is_a_400_refusal_not_an_invisible_form_error():
    form = bound_form()
    with ServiceErrors(html_request(), form=form, page=page) as call:
        raise ValidationError({"token": "That post is not in this thread."})
    assert call.response.status_code == HTTPStatus.BAD_REQUEST
    assert call.response.content == b"refused: That post is not in this thread."
    assert not form.errors


def test_permission_denied_is_a_403_refusal_with_its_reason():
    with ServiceErrors(html_request(), form=bound_form(), page=page) as call:
        raise PermissionDenied("Only members can vote.")
    assert call.failed
    assert call.response.status_code == HTTPStatus.FORBIDDEN
    assert call.response.content == b"refused: Only members can vote."


def test_permission_denied_without_a_reason_still_says_something():
    with ServiceErrors(html_request(), page=page) as call:
        raise PermissionDenied
    assert call.response.content == b"refused: You are not allowed to do this."


def test_json_requests_get_the_error_as_json_with_400_or_403():
    form = bound_form()
    with ServiceErrors(json_request(), form=form, page=page) as call:
        raise ValidationError({"title": "Give the thread a title."})
    assert call.response.status_code == HTTPStatus.BAD_REQUEST
    assert json.loads(call.response.content) == {"error": "Give the thread a title."}
    assert not form.errors
    with ServiceErrors(json_request(), page=page) as call:
        raise PermissionDenied("Sign in to vote.")
    assert call.response.status_code == HTTPStatus.FORBIDDEN
    assert json.loads(call.response.content) == {"error": "Sign in to vote."}


def test_without_a_form_a_validation_error_is_a_400_refusal():
    with ServiceErrors(html_request(), page=page) as call:
        raise ValidationError("You cannot vote on your own post.")
    assert call.response.status_code == HTTPStatus.BAD_REQUEST
    assert call.response.content == b"refused: You cannot vote on your own post."


def test_other_exceptions_are_not_swallowed():
    with pytest.raises(KeyError), ServiceErrors(html_request(), page=page):
        raise KeyError("bug")


# ---- answers_service_errors ----


def test_the_decorator_answers_what_the_view_lets_out():
    @answers_service_errors(page)
    def view(request, outcome):
        if outcome == "invalid":
            raise ValidationError("A vote is either up or down.")
        if outcome == "denied":
            raise PermissionDenied("This thread is locked.")
        return HttpResponse("done")

    assert view(html_request(), "ok").content == b"done"
    invalid = view(html_request(), "invalid")
    assert (invalid.status_code, invalid.content) == (400, b"refused: A vote is either up or down.")
    denied = view(json_request(), "denied")
    assert denied.status_code == HTTPStatus.FORBIDDEN
    assert json.loads(denied.content) == {"error": "This thread is locked."}


def test_wants_json_reads_the_accept_header():
    assert wants_json(json_request())
    assert not wants_json(html_request())


# ---- RateLimited ----


def test_a_rate_limited_json_request_gets_429_and_retry_after_in_seconds():
    error = RateLimited("Slow down.", retry_at=timezone.now() + timedelta(seconds=90))
    response = error_response(json_request(), error, page=page)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert json.loads(response.content) == {"error": "Slow down."}
    assert 89 <= int(response["Retry-After"]) <= 90


def test_a_rate_limited_error_in_a_form_view_goes_onto_the_form():
    form = bound_form()
    with ServiceErrors(html_request(), form=form, page=page) as call:
        raise RateLimited("Slow down.", retry_at=timezone.now() + timedelta(minutes=5))
    assert call.failed
    assert call.response is None
    assert form.non_field_errors() == ["Slow down."]
