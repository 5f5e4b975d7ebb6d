"""The privacy pages' forms. Times are typed in the organization's local time."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LOCAL_TIME = "%Y-%m-%dT%H:%M"


def _reason(label: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class HoldForm(forms.Form):
    reason = _reason(_("Why the data must be kept (e.g. a claim, an investigation)"))


class ReleaseForm(forms.Form):
    reason = _reason(_("Why the hold is no longer needed"))


class EraseForm(forms.Form):
    reason = _reason(_("Why (e.g. the customer's request of a date)"))
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class ZonedForm(forms.Form):
    """A form with a local time that must not lie in the future."""

    def __init__(self, *args: Any, zone: str, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone, self.now = ZoneInfo(zone), now

    def full_clean(self) -> None:
        with timezone.override(self.zone):
            super().full_clean()

    def _past(self, name: str) -> datetime:
        value: datetime = self.cleaned_data[name]
        if value > self.now:
            raise forms.ValidationError(_("That time has not come yet."))
        return value


class BreachForm(ZonedForm):
    channel = forms.ChoiceField(label=_("How we learned of it"))
    became_aware_at = forms.DateTimeField(
        label=_("When we became aware of it (the 72 hours start then)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_TIME),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    what_happened = forms.CharField(
        label=_("What happened"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    data_concerned = forms.CharField(
        label=_("Which personal data"), max_length=2000, required=False
    )
    people_affected = forms.CharField(
        label=_("Whose data, and about how many people"), max_length=2000, required=False
    )

    def __init__(self, *args: Any, channels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channels  # type: ignore[attr-defined]
        self.fields["became_aware_at"].initial = self.now.astimezone(self.zone).strftime(LOCAL_TIME)

    def clean_became_aware_at(self) -> datetime:
        return self._past("became_aware_at")


class RegulatorNotifiedForm(ZonedForm):
    at = forms.DateTimeField(
        label=_("Notified at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_TIME),
    )
    reference = forms.CharField(
        label=_("The regulator's reference (optional)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = self.now.astimezone(self.zone).strftime(LOCAL_TIME)

    def clean_at(self) -> datetime:
        return self._past("at")


class FindForm(forms.Form):
    q = forms.CharField(
        label=_("Email address, phone, name or case reference"), max_length=300, required=False
    )
