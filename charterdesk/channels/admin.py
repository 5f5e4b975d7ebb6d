"""The webhooks' bookkeeping, read-only and scoped like the rest of the admin."""

from __future__ import annotations

from django.contrib import admin

from charterdesk.channels.models import ChannelConversation, ChannelEvent
from charterdesk.console.admin import ReadOnlyAdmin


@admin.register(ChannelConversation)
class ChannelConversationAdmin(ReadOnlyAdmin):
    list_display = ("external_id", "channel", "case", "handle", "organization", "created_at")
    list_filter = ("channel",)
    search_fields = ("external_id", "case__reference", "handle")
    list_select_related = ("case", "organization")


@admin.register(ChannelEvent)
class ChannelEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "kind", "channel", "outcome", "case", "received_at")
    list_filter = ("kind", "outcome", "channel")
    search_fields = ("event_id", "case__reference")
    list_select_related = ("case",)
