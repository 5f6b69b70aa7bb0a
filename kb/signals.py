"""Wagtail workflow signals -> submission status and author notifications; after ``migrate``,
the Wagtail Site follows ``SITE_URL``."""

from django.db.models.signals import post_migrate
from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved, workflow_cancelled, workflow_rejected


def _on_workflow_approved(sender, instance: WorkflowState, user=None, **kwargs):
    from kb.services.submissions import submission_record_decision

    submission_record_decision(workflow_state=instance, approved=True, reviewer=user)


def _on_workflow_rejected(sender, instance: WorkflowState, user=None, **kwargs):
    from kb.services.submissions import submission_record_decision

    submission_record_decision(workflow_state=instance, approved=False, reviewer=user)


def _on_workflow_cancelled(sender, instance: WorkflowState, user=None, **kwargs):
    from kb.services.submissions import submission_record_cancellation

    submission_record_cancellation(workflow_state=instance)


def _on_post_migrate(sender, using="default", **kwargs):
    from kb.services.sites import site_sync

    site_sync(using=using)


def connect(app_config) -> None:
    post_migrate.connect(_on_post_migrate, sender=app_config, dispatch_uid="kb_site_sync")
    workflow_approved.connect(
        _on_workflow_approved, sender=WorkflowState, dispatch_uid="kb_workflow_approved"
    )
    workflow_rejected.connect(
        _on_workflow_rejected, sender=WorkflowState, dispatch_uid="kb_workflow_rejected"
    )
    workflow_cancelled.connect(
        _on_workflow_cancelled, sender=WorkflowState, dispatch_uid="kb_workflow_cancelled"
    )
