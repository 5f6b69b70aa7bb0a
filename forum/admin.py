"""Django admin for forum configuration. Threads and posts change only through the services
(and, later, moderation tools), so they are not editable here."""

from django.contrib import admin

from forum.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "mode",
        "visibility",
        "guests_can_post",
        "restricted_to_group",
        "thread_count",
        "post_count",
        "sort_order",
    ]
    list_editable = ["sort_order"]
    list_filter = ["mode", "visibility", "guests_can_post"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["thread_count", "post_count", "last_activity_at"]
    fields = [
        "name",
        "slug",
        "description",
        "mode",
        "visibility",
        "guests_can_post",
        "restricted_to_group",
        "sort_order",
        "thread_count",
        "post_count",
        "last_activity_at",
    ]
