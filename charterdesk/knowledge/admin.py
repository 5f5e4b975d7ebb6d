"""Articles in the Django admin, scoped like the console's admin: an operator sees the
articles of the organizations they belong to (a superuser, all)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from charterdesk.console.admin import ScopedAdmin
from charterdesk.knowledge.models import Article


@admin.register(Article)
class ArticleAdmin(ScopedAdmin):
    list_display = ("slug", "language", "title", "published", "organization", "updated_at")
    list_filter = ("published", "language", "organization")
    search_fields = ("slug", "title", "body")
    list_select_related = ("organization",)
    readonly_fields = ("updated_at",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
