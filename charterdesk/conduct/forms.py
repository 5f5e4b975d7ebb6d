"""The conduct forms: what staff record, and what a supervisor decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from charterdesk.conduct.models import ConductReport

KINDS = [
    (ConductReport.Kind.ABUSIVE.value, _("Abusive")),
    (ConductReport.Kind.THREATENING.value, _("Threatening")),
    (ConductReport.Kind.OTHER.value, _("Other unacceptable behaviour")),
]
KIND_LABELS = dict(KINDS)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ConductForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of behaviour"), choices=KINDS)
    what_happened = forms.CharField(
        label=_("What happened"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When, on which channel, and what was said or done."),
    )


class RestrictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the decision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels restricted"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    review_on = forms.DateField(label=_("Review on"), widget=DateInput())

    def __init__(
        self, *args: Any, channels: list[tuple[str, str]], ends_all_contact: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["channels"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = channels
        if ends_all_contact:  # N7: the charter ends all contact, on every channel
            del self.fields["channels"]
        else:
            field.required = True


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why contact is restored"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("keep", _("Keep the restriction")), ("lift", _("Lift it"))],
        widget=forms.RadioSelect,
    )
    next_review_on = forms.DateField(label=_("Next review on"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "keep" and not data.get("next_review_on"):
            self.add_error("next_review_on", _("Give the date of the next review."))
        return data
