"""The reports page's filters and the review decision form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from charterdesk.reports.figures import Slice

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from charterdesk.reports.periods import Period, current_quarter, parse_period, recent_periods


class ReportFilterForm(forms.Form):
    period = forms.CharField(label=_("Period"), required=False)
    case_type = forms.ChoiceField(label=_("Type"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(
        self,
        data: object,
        *,
        today: date,
        case_types: Sequence[tuple[str, str]],
        channels: Sequence[tuple[str, str]],
        people: Sequence[tuple[str, str]],
        languages: Sequence[str],
    ) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.today = today
        self._labels: dict[str, dict[str, str]] = {}
        any_choice = [("", _("Any"))]
        periods = [(p.code, p.label()) for p in recent_periods(today)]
        self.fields["period"].widget = forms.Select(choices=periods)
        self._choices("case_type", [*any_choice, *case_types])
        self._choices("channel", [*any_choice, *channels])
        self._choices("assignee", [*any_choice, ("none", _("Unassigned")), *people])
        self._choices("language", [*any_choice, *[(code, code) for code in languages]])

    def _choices(self, name: str, choices: list[tuple[str, StrOrPromise]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        self._labels[name] = {value: str(label) for value, label in choices if value}

    def labels(self, name: str) -> dict[str, str]:
        """The words of a choice field's values (its choices without "any")."""
        return self._labels.get(name, {})

    def chosen_period(self) -> Period:
        """The period asked for (any month, quarter or year), else the current quarter."""
        code = self.cleaned_data.get("period", "") if self.is_valid() else ""
        return parse_period(code or "") or current_quarter(self.today)

    def chosen_slice(self) -> Slice:
        if not self.is_valid():
            return Slice()
        data = self.cleaned_data
        return Slice(
            case_type=data["case_type"],
            channel=data["channel"],
            assignee=data["assignee"],
            language=data["language"],
        )


class ReviewDecisionForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("What was decided"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    causes = forms.CharField(
        label=_("Causes it answers"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cases = forms.CharField(
        label=_("Cases behind it"),
        required=False,
        help_text=_("Case references, separated by spaces or commas."),
    )

    def cause_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["causes"].splitlines() if line.strip()]

    def references(self) -> list[str]:
        return str(self.cleaned_data["cases"]).replace(",", " ").split()
