"""The console's forms: the queue's filters and one form per case action.

Choices of people come from one list of the organization's members, read once per
page, so rendering a form never queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from charterdesk.cases.models import Membership
from charterdesk.console.queue import QueueQuery

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REPLY_KINDS = [
    ("replied", _("Reply")),
    ("update_sent", _("Progress update")),
    ("formal_response_sent", _("Formal response")),
]


def person(user: User) -> str:
    return user.get_full_name() or user.get_username()


def people(members: Sequence[Membership]) -> list[tuple[str, str]]:
    """The members who can work cases, as choices; viewers are not offered."""
    return [(str(m.user_id), person(m.user)) for m in members if m.role != Membership.Role.VIEWER]


class QueueFilterForm(forms.Form):
    case_type = forms.ChoiceField(label=_("Type"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    state = forms.ChoiceField(
        label=_("Clock"),
        required=False,
        choices=[
            ("", _("Any")),
            ("breached", _("Breached")),
            ("at_risk", _("At risk")),
            ("running", _("Running")),
            ("paused", _("Paused")),
        ],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(
        self,
        *args: Any,
        case_types: list[tuple[str, str]],
        channels: list[tuple[str, str]],
        members: Sequence[Membership],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = [("", _("Any")), *case_types]  # type: ignore[attr-defined]
        self.fields["channel"].choices = [("", _("Any")), *channels]  # type: ignore[attr-defined]
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")),
            ("me", _("Me")),
            ("unassigned", _("Unassigned")),
            *people(members),
        ]
        self.fields["q"].widget.attrs["placeholder"] = _("Reference, contact or text")

    def query(self) -> QueueQuery:
        """The filters asked for; a value that is not a choice is ignored, not an error."""
        data = self.cleaned_data if self.is_valid() else {}
        return QueueQuery(
            case_type=data.get("case_type", ""),
            channel=data.get("channel", ""),
            assignee=data.get("assignee", ""),
            state=data.get("state", ""),
            search=data.get("q", ""),
        )


class PersonField(forms.ChoiceField):
    """A member of the organization, chosen from the page's one list of members."""

    def __init__(self, *, members: Sequence[Membership], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.users = {str(m.user_id): m.user for m in members}
        self.choices = [("", "—"), *people(members)]

    def clean(self, value: Any) -> User | None:
        chosen = super().clean(value)
        return self.users.get(chosen) if chosen else None


class ActionForm(forms.Form):
    """An action's form; ``members`` offers the people for those that need them."""

    def __init__(self, *args: Any, members: Sequence[Membership] = (), **kwargs: Any) -> None:
        self.members = members
        super().__init__(*args, **kwargs)


def _text(label: StrOrPromise, rows: int = 4, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


def _date(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class ReplyForm(ActionForm):
    kind = forms.ChoiceField(label=_("Send as"), choices=REPLY_KINDS, initial="replied")
    body = _text(_("Message to the customer"), rows=8)


class AssignForm(ActionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"] = PersonField(members=self.members, label=_("Assign to"), required=False)


class HandOffForm(ActionForm):
    new_date = _date(_("They will reply by"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"] = PersonField(members=self.members, label=_("Hand off to"))
        self.order_fields(["to", "new_date"])


class DelayNoticeForm(ActionForm):
    reason = _text(_("Why it is taking longer"), rows=3)
    new_date = _date(_("New date"))


class InformationRequestForm(ActionForm):
    question = _text(_("What we need from the customer"), rows=4)


class InformationCompleteForm(ActionForm):
    pass


class ResolveForm(ActionForm):
    result = _text(_("Result"), rows=4)
    steps = _text(_("Steps taken, one per line"), rows=4, required=False)
    first_contact = forms.BooleanField(label=_("Resolved at first contact"), required=False)

    def clean_steps(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["steps"].splitlines() if line.strip()]


class ApologyForm(ActionForm):
    remedy = _text(_("Apology and remedy offered"), rows=3)


class CauseForm(ActionForm):
    cause = forms.CharField(label=_("Cause"), max_length=200)


class NoteForm(ActionForm):
    text = _text(_("Internal note (the customer never sees it)"), rows=3)
