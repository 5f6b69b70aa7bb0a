"""Changes in the KB, the forum and members' names -> index outbox rows (issue 10 item 6).

Connected by ``SearchConfig.ready()``; ``kb`` and ``forum`` never import ``search``. Every
receiver only works out WHICH documents changed and calls ``outbox_record`` inside the
sender's transaction; what a document now contains (or that it must go) is decided when the
row is applied, from the current state. Receivers never fail the change that sent them: the
outbox row is a plain insert, and the backend is only called after commit.

What triggers what:

- the forum's ``thread_saved`` / ``post_saved``; a thread or post saved or deleted; a
  thread's topics or regions changed -> the thread;
- a category's visibility or group changed -> every thread in it;
- a page saved, published, unpublished or deleted -> the page;
- a page moved or its slug changed, a view restriction added, changed or removed -> the page
  and the KB pages under it;
- a member's name or organisation changed, or the account deleted -> the threads they
  started (their name is in those documents).

Not tracked: renaming a taxonomy term (slugs are stable; labels catch up on the next change
of each document or on ``search_index rebuild``).
"""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from forum import signals as forum_signals
from forum.models import Category, Post, Thread
from kb.models import KnowledgePage
from members.models import Profile
from search.models import IndexOutbox
from search.projection import page_doc_id, thread_doc_id
from search.services.indexing import outbox_record

UPSERT = IndexOutbox.Operation.UPSERT
DELETE = IndexOutbox.Operation.DELETE

_NAME_FIELDS = frozenset({"display_name", "first_name", "last_name", "deleted_at"})


def _record_threads(pks, operation=UPSERT) -> None:
    outbox_record(doc_ids=[thread_doc_id(pk) for pk in pks], operation=operation)


def _record_pages(page: Page, *, descendants: bool = False, operation=UPSERT) -> None:
    pks = [page.pk]
    if descendants:
        under = Page.objects.descendant_of(page).type(KnowledgePage)
        pks += list(under.values_list("pk", flat=True))
    outbox_record(doc_ids=[page_doc_id(pk) for pk in pks], operation=operation)


def _touches(update_fields, fields: frozenset[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


# -- forum ----------------------------------------------------------------------------------


def _on_forum_thread_saved(sender, thread: Thread, **kwargs) -> None:
    _record_threads([thread.pk])


def _on_forum_post_saved(sender, post: Post, **kwargs) -> None:
    _record_threads([post.thread_id])


def _on_thread_saved(sender, instance: Thread, raw=False, **kwargs) -> None:
    if not raw:
        _record_threads([instance.pk])


def _on_thread_deleted(sender, instance: Thread, **kwargs) -> None:
    _record_threads([instance.pk], DELETE)


def _on_post_changed(sender, instance: Post, raw=False, **kwargs) -> None:
    if not raw:
        _record_threads([instance.thread_id])


def _on_thread_terms_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _record_threads([instance.pk])
    elif pk_set:
        _record_threads(pk_set)
    else:  # a term's whole set of threads was cleared
        _record_threads(instance.forum_threads.values_list("pk", flat=True))


def _remember_category_access(sender, instance: Category, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        instance._search_access_before = None
        return
    instance._search_access_before = (
        Category.objects.filter(pk=instance.pk)
        .values_list("visibility", "restricted_to_group_id")
        .first()
    )


def _on_category_saved(sender, instance: Category, created=False, raw=False, **kwargs) -> None:
    before = getattr(instance, "_search_access_before", None)
    if raw or created or before == (instance.visibility, instance.restricted_to_group_id):
        return
    _record_threads(instance.threads.values_list("pk", flat=True))


# -- members' names -------------------------------------------------------------------------


def _on_user_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or created or not _touches(update_fields, _NAME_FIELDS):
        return
    _record_threads(Thread.objects.filter(author=instance).values_list("pk", flat=True))


def _on_profile_saved(sender, instance: Profile, raw=False, update_fields=None, **kwargs):
    if raw or not _touches(update_fields, frozenset({"organisation"})):
        return
    threads = Thread.objects.filter(author_id=instance.user_id).values_list("pk", flat=True)
    _record_threads(threads)


# -- KB pages -------------------------------------------------------------------------------


def _on_page_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw and isinstance(instance, KnowledgePage):
        _record_pages(instance)


def _on_page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        _record_pages(instance, operation=DELETE)


def _on_page_published(sender, instance: Page, **kwargs) -> None:
    _record_pages(instance)


def _on_page_unpublished(sender, instance: Page, **kwargs) -> None:
    _record_pages(instance, operation=DELETE)


def _on_page_tree_changed(sender, instance: Page, **kwargs) -> None:
    _record_pages(instance, descendants=True)


def _on_view_restriction_changed(sender, instance: PageViewRestriction, raw=False, **kwargs):
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # gone when the page itself is being deleted
        _record_pages(page, descendants=True)


def connect() -> None:
    """Connect every receiver (idempotent: each has a dispatch_uid)."""
    connections = [
        (forum_signals.thread_saved, _on_forum_thread_saved, Thread),
        (forum_signals.post_saved, _on_forum_post_saved, Post),
        (post_save, _on_thread_saved, Thread),
        (post_delete, _on_thread_deleted, Thread),
        (post_save, _on_post_changed, Post),
        (post_delete, _on_post_changed, Post),
        (m2m_changed, _on_thread_terms_changed, Thread.topics.through),
        (m2m_changed, _on_thread_terms_changed, Thread.regions.through),
        (pre_save, _remember_category_access, Category),
        (post_save, _on_category_saved, Category),
        (post_save, _on_user_saved, settings.AUTH_USER_MODEL),
        (post_save, _on_profile_saved, Profile),
        (post_save, _on_page_saved, None),
        (post_delete, _on_page_deleted, None),
        (page_published, _on_page_published, None),
        (page_unpublished, _on_page_unpublished, None),
        (post_page_move, _on_page_tree_changed, None),
        (page_slug_changed, _on_page_tree_changed, None),
        (post_save, _on_view_restriction_changed, PageViewRestriction),
        (post_delete, _on_view_restriction_changed, PageViewRestriction),
    ]
    for signal, receiver, sender in connections:
        uid = f"search.{receiver.__name__}.{getattr(sender, '__name__', sender)}"
        signal.connect(receiver, sender=sender, dispatch_uid=uid, weak=False)
