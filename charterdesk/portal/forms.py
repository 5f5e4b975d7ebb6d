"""The customer's forms. The web form is built from the charter: the case type's own
fields (labels in the page's language) between the fields every case has.

Django's messages ("This field is required.") come in the language active while the form
is validated and rendered: the views do both inside ``translation.override``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from charterdesk.core.charter import CaseField, CaseType, Survey
from charterdesk.localized import translated
from charterdesk.portal.uploads import FilesField, check_files

#: A field bots fill and people never see: filled in, the submission is dropped.
HONEYPOT = "website"
FIELD_PREFIX = "field_"
NAME_FIELDS = ("full_name", "name")

phone_number = RegexValidator(
    r"^\+?[0-9 ()./-]{5,40}$", _("Enter a phone number: digits, spaces and + ( ) - . /")
)


def charter_field(spec: CaseField, language: str) -> forms.Field:
    """A form field for one of the charter's case fields."""
    label = translated(spec.label, language)
    common: dict[str, Any] = {"label": label, "required": spec.required}
    if spec.kind == "long_text":
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000, **common
        )
    if spec.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.kind == "datetime":
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        return forms.DateTimeField(widget=widget, **common)
    if spec.kind == "phone":
        attrs = {"autocomplete": "tel", "inputmode": "tel"}
        return forms.CharField(
            max_length=40, validators=[phone_number], widget=forms.TextInput(attrs), **common
        )
    if spec.kind == "email":
        return forms.EmailField(**common)
    if spec.kind == "boolean":
        return forms.BooleanField(**common)
    if spec.kind == "person":
        return forms.CharField(max_length=200, **common)
    return forms.CharField(max_length=500, **common)


class ContactForm(forms.Form):
    """Name, address and phone; the case type's own fields; subject, message, files."""

    def __init__(
        self, *args: Any, case_type: CaseType, language: str, zone: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case_type, self.zone = case_type, ZoneInfo(zone)
        own = {spec.name: spec for spec in case_type.fields}
        if not any(name in own for name in NAME_FIELDS):
            self.fields["name"] = forms.CharField(label=_("Your name"), max_length=200)
            self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"] = forms.EmailField(
            label=_("Your email address"),
            help_text=_("We answer you at this address."),
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if "phone" not in own:
            self.fields["phone"] = forms.CharField(
                label=_("Phone (optional)"),
                max_length=40,
                required=False,
                validators=[phone_number],
            )
            self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        for spec in case_type.fields:
            self.fields[FIELD_PREFIX + spec.name] = charter_field(spec, language)
        self.fields["subject"] = forms.CharField(
            label=_("Subject (optional)"), max_length=200, required=False
        )
        described = any(s.kind == "long_text" and s.required for s in case_type.fields)
        self.fields["message"] = forms.CharField(
            label=_("Anything else you want to tell us") if described else _("Your message"),
            widget=forms.Textarea(attrs={"rows": 6}),
            max_length=20_000,
            required=not described,
        )
        self.fields["attachments"] = FilesField(
            label=_("Attachments (optional)"),
            help_text=_("Up to 5 files, 10 MB each: PDF, images, Office documents, text."),
        )
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"), required=False, max_length=200
        )
        self.fields[HONEYPOT].widget.attrs.update(autocomplete="off", tabindex="-1")

    def full_clean(self) -> None:
        with timezone.override(self.zone):  # a date and time typed in is local time
            super().full_clean()

    def clean_attachments(self) -> list[Any]:
        return check_files(self.cleaned_data.get("attachments") or [])

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def case_fields(self) -> dict[str, Any]:
        """The charter's fields as stored on the case: text stripped, dates as ISO text."""
        values: dict[str, Any] = {}
        for spec in self.case_type.fields:
            value = self.cleaned_data.get(FIELD_PREFIX + spec.name)
            if isinstance(value, datetime | date):
                values[spec.name] = value.isoformat()
            elif isinstance(value, bool):
                values[spec.name] = value
            elif value:
                values[spec.name] = str(value).strip()
        return values

    def contact_name(self) -> str:
        fields = self.case_fields()
        found = next((fields[name] for name in NAME_FIELDS if fields.get(name)), "")
        return str(found or self.cleaned_data.get("name", "")).strip()

    def contact_phone(self) -> str:
        return str(self.case_fields().get("phone") or self.cleaned_data.get("phone", "")).strip()

    def message_text(self) -> str:
        """What the customer wrote: the message, else the case type's first long text."""
        message = str(self.cleaned_data.get("message", "")).strip()
        if message:
            return message
        fields = self.case_fields()
        texts = [fields.get(s.name) for s in self.case_type.fields if s.kind == "long_text"]
        return str(next((text for text in texts if text), ""))


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000
    )
    complete = forms.BooleanField(
        label=_("This is all the information you asked for"), required=False
    )


class EvidenceForm(forms.Form):
    attachments = FilesField(label=_("Files"), required=True)
    note = forms.CharField(
        label=_("What these files show (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5_000,
        required=False,
    )

    def clean_attachments(self) -> list[Any]:
        return check_files(self.cleaned_data.get("attachments") or [])


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you ask us to review the decision?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
    )


class RatingForm(forms.Form):
    """One question per line of the charter's survey, each on its scale."""

    def __init__(self, *args: Any, survey: Survey, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        scale = [(str(n), str(n)) for n in range(1, survey.scale + 1)]
        for question in survey.questions:
            self.fields[f"q_{question.id}"] = forms.TypedChoiceField(
                label=translated(question.text, language),
                choices=scale,
                coerce=int,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[str, int]:
        return {q.id: int(self.cleaned_data[f"q_{q.id}"]) for q in self.survey.questions}


class ResendForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=32)
    email = forms.EmailField(label=_("The email address you gave us"))

    def clean_reference(self) -> str:
        return str(self.cleaned_data["reference"]).strip().upper()


class SurveyAccessForm(forms.Form):
    email = forms.EmailField(label=_("The email address you gave us"))
