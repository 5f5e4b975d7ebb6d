"""Forms for contacts staff enter by hand (a call, a voicemail, a letter or in-store form,
a visit) and for a call returned. Times are typed in the organization's local time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from charterdesk.channels.entries import Entry
from charterdesk.console.forms import ActionForm
from charterdesk.core.charter import CaseType
from charterdesk.portal.forms import FIELD_PREFIX, NAME_FIELDS, charter_field, phone_number

#: The words each kind of channel asks with.
WORDS = {
    "phone": {
        "received_at": _("Time of the call"),
        "text": _("What the caller asked"),
    },
    "voicemail": {
        "received_at": _("Left at"),
        "text": _("Transcript or notes of the message"),
    },
    "letter": {
        "received_at": _("Arrived at (the clock starts then, not now)"),
        "text": _("What the letter or form says"),
    },
    "in_person": {
        "received_at": _("Time of the visit"),
        "text": _("What the customer asked"),
    },
}
#: Kinds where the customer is there to be answered at once (E3).
ANSWERED_AT_ONCE = ("phone", "in_person")
#: Kinds that happen as they are entered: the time defaults to now.
HAPPENING_NOW = ("phone", "in_person")
LOCAL_TIME = "%Y-%m-%dT%H:%M"


class LogContactForm(forms.Form):
    """One contact on one channel, for one case type (chosen beforehand: its charter
    fields are asked, as the web form asks them). ``spec`` is None when the channel
    does not take the case type: the contact is then logged as what it does take."""

    case_type = forms.ChoiceField(widget=forms.HiddenInput)
    language = forms.ChoiceField(label=_("The customer's language"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, validators=[phone_number]
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Acknowledgements and replies are mailed here."),
    )
    received_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_TIME)
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    text = forms.CharField(
        max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        case_type: str,
        spec: CaseType | None,
        languages: list[tuple[str, str]],
        zone: str,
        now: datetime,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.spec, self.zone, self.now = kind, spec, ZoneInfo(zone), now
        self.fields["case_type"].choices = [(case_type, case_type)]  # type: ignore[attr-defined]
        self.fields["case_type"].initial = case_type
        self.fields["language"].choices = languages  # type: ignore[attr-defined]
        self.fields["received_at"].label = WORDS[kind]["received_at"]
        self.fields["text"].label = WORDS[kind]["text"]
        if kind in HAPPENING_NOW:
            self.fields["received_at"].initial = now.astimezone(self.zone).strftime(LOCAL_TIME)
        self._charter_fields(translation.get_language() or "en")
        if kind == "voicemail":
            self.fields["recording_url"] = forms.URLField(
                label=_("Address of the recording (optional)"),
                required=False,
                max_length=2000,
                assume_scheme="https",
            )
        if kind in ANSWERED_AT_ONCE and spec is not None:
            self.fields["answer"] = forms.CharField(
                label=_("Answer given (told to the customer)"),
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields["resolved"] = forms.BooleanField(
                label=_("Resolved at first contact"), required=False
            )

    def _charter_fields(self, language: str) -> None:
        """The case type's own fields; one named like the contact's stands in for it."""
        if self.spec is None:
            return
        own = {field.name for field in self.spec.fields}
        if own & set(NAME_FIELDS):
            del self.fields["name"]
        if "phone" in own:
            del self.fields["phone"]
        for field in self.spec.fields:
            self.fields[FIELD_PREFIX + field.name] = charter_field(field, language)

    def full_clean(self) -> None:
        with timezone.override(self.zone):  # a time typed in is the organization's
            super().full_clean()

    def clean_received_at(self) -> datetime:
        value: datetime = self.cleaned_data["received_at"]
        if value > self.now:
            raise forms.ValidationError(_("That time has not come yet."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("resolved") and not str(data.get("answer", "")).strip():
            self.add_error("answer", _("Say what the customer was told."))
        return data

    def case_fields(self) -> dict[str, Any]:
        """The charter's fields as stored on the case: text stripped, dates as ISO text."""
        values: dict[str, Any] = {}
        for field in self.spec.fields if self.spec else []:
            value = self.cleaned_data.get(FIELD_PREFIX + field.name)
            if isinstance(value, datetime | date):
                values[field.name] = value.isoformat()
            elif isinstance(value, bool):
                values[field.name] = value
            elif value:
                values[field.name] = str(value).strip()
        return values

    def entry(self, channel: str) -> Entry:
        data, fields = self.cleaned_data, self.case_fields()
        name = next((fields[key] for key in NAME_FIELDS if fields.get(key)), data.get("name"))
        texts = (
            [fields.get(f.name) for f in self.spec.fields if f.kind == "long_text"]
            if (self.spec)
            else []
        )
        return Entry(
            channel=channel,
            case_type=data["case_type"],
            received_at=data["received_at"],
            language=data["language"],
            name=str(name or ""),
            email=data["email"],
            phone=str(fields.get("phone") or data.get("phone", "")),
            subject=data["subject"],
            text=data["text"] or str(next((text for text in texts if text), "")),
            fields=fields,
            recording_url=data.get("recording_url", ""),
            answer=data.get("answer", ""),
            resolved_at_first_contact=bool(data.get("resolved")),
        )


class CallbackForm(ActionForm):
    """A voicemail or a missed call returned (T15, N2)."""

    notes = forms.CharField(
        label=_("What was said (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
