"""Django admin for operators, scoped like everything else: a superuser sees every
organization, anyone else only the organizations they are a member of.

Events, clocks and the audit log are read-only (events are append-only, clocks are
rebuilt from them, the audit log is evidence). A charter changes only by proposing a
version and an owner approving it (N10), so versions are read-only here too, with an
"approve" action that goes through the same service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import ForeignKey, Model, QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from charterdesk.cases.charters import NotAllowed, approve_charter
from charterdesk.cases.models import (
    AuditEntry,
    Case,
    CharterVersion,
    Clock,
    Event,
    Membership,
    Organization,
    OutboxMessage,
)


def organization_ids(request: HttpRequest) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(user_id=request.user.pk or 0).values("organization_id")


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows of the organizations the operator belongs to, and choices scoped the same way."""

    scope = "organization_id"  # the field that names a row's organization

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(**{f"{self.scope}__in": organization_ids(request)})

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        """Another organization's row is a 404, as everywhere (not the admin's redirect to
        its index, and not a 403 before the lookup on a read-only model)."""
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404("no such object")
        return found

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if not request.user.is_superuser:
            kwargs["queryset"] = _scoped_choices(db_field.related_model, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _scoped_choices(model: type[Model] | str, request: HttpRequest) -> QuerySet[Any]:
    assert not isinstance(model, str)
    orgs = organization_ids(request)
    if model is Organization:
        return Organization.objects.filter(pk__in=orgs)
    if model is User:
        return User.objects.filter(memberships__organization_id__in=orgs).distinct()
    if any(field.name == "organization" for field in model._meta.get_fields()):
        return model._default_manager.filter(organization_id__in=orgs)
    return model._default_manager.all()


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    scope = "pk"
    list_display = ("name", "slug", "timezone", "reference_prefix", "charter")
    search_fields = ("name", "slug")
    readonly_fields = ("charter",)  # changed only by approving a version


@admin.register(CharterVersion)
class CharterVersionAdmin(ReadOnlyAdmin):
    list_display = ("organization", "number", "status", "source_name", "approved_by", "created_at")
    list_filter = ("status", "organization")
    actions = ("approve",)

    @admin.action(description=_("Approve the selected version (owners only)"))
    def approve(self, request: HttpRequest, versions: QuerySet[CharterVersion]) -> None:
        by = request.user if isinstance(request.user, User) else None
        for version in versions:
            try:
                approve_charter(version, by=None if request.user.is_superuser else by)
            except NotAllowed as refused:
                self.message_user(request, str(refused), messages.ERROR)
                return
        self.message_user(request, _("Approved."), messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role", "organization")
    search_fields = ("user__username", "user__email")


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    list_display = ("reference", "organization", "case_type", "channel", "status", "next_due_at")
    list_filter = ("status", "organization")
    search_fields = ("reference", "subject")
    list_select_related = ("organization",)
    raw_id_fields = ("contact", "assignee", "charter")
    readonly_fields = ("organization", "reference", "charter", "received_at", "next_due_at")


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "at", "actor")
    list_filter = ("kind",)
    search_fields = ("case__reference",)
    list_select_related = ("case", "actor")


@admin.register(Clock)
class ClockAdmin(ReadOnlyAdmin):
    list_display = ("case", "commitment", "state", "due_at", "warn_at")
    list_filter = ("state",)
    search_fields = ("case__reference", "commitment")
    list_select_related = ("case",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ScopedAdmin):
    list_display = ("kind", "status", "case", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("kind", "status")
    search_fields = ("key", "case__reference")
    list_select_related = ("case",)
    readonly_fields = ("organization", "case", "kind", "key", "payload", "created_at", "sent_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "target", "actor", "organization")
    list_filter = ("action",)
    search_fields = ("target",)
    list_select_related = ("actor", "organization")
