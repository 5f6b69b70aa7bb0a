"""Front-end submission pages: "My submissions", new submission, edit, preview.

Verified members only (members.roles.is_member). Views parse input, call the forms and
kb.services.submissions, and render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kb.forms import FORMS_BY_KIND, row_formset
from kb.models import Submission
from kb.services.submissions import SubmissionInput, submission_create, submission_update
from members.roles import is_member
from service_responses import ServiceErrors


def _refuse(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "kb/submissions/not_allowed.html", status=403)


def _refused_to_list(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """A service refused the submission: back to "My submissions", saying why."""
    messages.error(request, message)
    return redirect("kb:submission_list")


@login_required
def submission_list(request: HttpRequest) -> HttpResponse:
    if not is_member(request.user):
        return _refuse(request)
    submissions = Submission.objects.filter(author=request.user).select_related("page")
    return TemplateResponse(
        request, "kb/submissions/list.html", {"submissions": submissions, "kinds": Submission.Kind}
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in FORMS_BY_KIND:
        raise Http404("Unknown kind of submission.")
    if not is_member(request.user):
        return _refuse(request)
    return _form_view(request, kind=kind, submission=None)


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_member(request.user):
        return _refuse(request)
    submission = get_object_or_404(
        Submission.objects.select_related("page"), pk=pk, author=request.user
    )
    if not submission.is_editable:
        messages.info(
            request, _("This submission has been approved; the editors now look after it.")
        )
        return redirect("kb:submission_list")
    return _form_view(request, kind=submission.kind, submission=submission)


@login_required
def submission_preview(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_member(request.user):
        return _refuse(request)
    submission = get_object_or_404(Submission, pk=pk, author=request.user)
    page = submission.page.specific.get_latest_revision_as_object()
    return page.serve_preview(request, page.default_preview_mode)


def _existing_documents(submission: Submission | None) -> list:
    if submission is None:
        return []
    page = submission.page.specific.get_latest_revision_as_object()
    blocks = page.resources if submission.kind == Submission.Kind.CASE_STUDY else page.templates
    return [block.value["document"] for block in blocks if block.value["document"] is not None]


def _form_view(request: HttpRequest, *, kind: str, submission: Submission | None) -> HttpResponse:
    form_class, rows_name = FORMS_BY_KIND[kind]
    documents = _existing_documents(submission)
    if request.method == "POST":
        submitting = request.POST.get("action") == "submit"
        form = form_class(
            request.POST, request.FILES, submitting=submitting, existing_documents=documents
        )
        rows = row_formset(rows_name, data=request.POST, submitting=submitting)
        if form.is_valid() and rows.is_valid():
            data = SubmissionInput(
                fields=form.source_data(),
                rows=rows.filled_rows(),
                uploads=form.uploads,
                remove_document_ids=form.documents_to_remove,
            )
            with ServiceErrors(request, form=form, page=_refused_to_list) as call:
                if submission is None:
                    submission = submission_create(
                        author=request.user, kind=kind, data=data, submit=submitting
                    )
                else:
                    submission = submission_update(
                        submission=submission, author=request.user, data=data, submit=submitting
                    )
            if call.response is not None:
                return call.response
            if not call.failed:
                if submitting:
                    messages.success(
                        request,
                        _(
                            "Thank you: “%(title)s” is with the editors. "
                            "We will notify you of their decision."
                        )
                        % {"title": submission.page.draft_title},
                    )
                else:
                    messages.success(
                        request,
                        _("Draft “%(title)s” saved.") % {"title": submission.page.draft_title},
                    )
                return redirect("kb:submission_list")
    else:
        source = submission.source if submission else {}
        form = form_class(
            initial=form_class.initial_from_source(source) if source else None,
            existing_documents=documents,
        )
        rows = row_formset(rows_name, initial=source.get("rows", []))
    return TemplateResponse(
        request,
        "kb/submissions/form.html",
        {
            "form": form,
            "rows": rows,
            "rows_name": rows_name,
            "kind": kind,
            "kind_label": Submission.Kind(kind).label,
            "submission": submission,
            "existing_documents": documents,
        },
    )
