"""The charter model: one organization's published promises, as data.

The YAML file is read by :mod:`charterdesk.core.charter_source`; these pydantic
models validate its shape, and :mod:`charterdesk.core.charter_checks` checks that
its parts refer to each other correctly and that its texts say what its rules do.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from charterdesk.core.durations import Duration, parse_duration, parse_share

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Za-z]{2,4})?$")]


def _check_translations(value: dict[str, str]) -> dict[str, str]:
    if not value:
        raise ValueError("give the text in at least one language")
    for language, text in value.items():
        if not re.fullmatch(r"[a-z]{2}(-[A-Za-z]{2,4})?", language):
            raise ValueError(f"{language!r} is not a language code such as 'en' or 'sr-Latn'")
        if not text.strip():
            raise ValueError(f"the {language!r} text is empty")
    return value


#: A text in several languages: ``{en: ..., ru: ...}``.
Translations = Annotated[dict[str, str], AfterValidator(_check_translations)]


def _check_duration(value: str) -> str:
    parse_duration(value)
    return value


def _check_share(value: str) -> str:
    parse_share(value)
    return value


DurationText = Annotated[str, AfterValidator(_check_duration)]
ShareText = Annotated[str, AfterValidator(_check_share)]
_INTERVAL = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$")
_PERIOD = re.compile(r"^(\d+) (day|month|year)s?$")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ContactPoint(Model):
    channel: Identifier
    address: str


class Organization(Model):
    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: Translations
    reference_prefix: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{1,5}$")]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    subdivision: str | None = None
    timezone: str
    languages: Annotated[list[LanguageCode], Field(min_length=1)]
    website: str | None = None
    address: str | None = None
    contact_points: list[ContactPoint] = []

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not an IANA time zone such as 'Europe/London'"
            ) from None
        return value


class HolidayRule(Model):
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None  # default: the org's
    subdivision: str | None = None


class CalendarSpec(Model):
    """Working hours: ``mon: [09:00-13:00, 14:00-18:00]``; a missing day is closed."""

    week: dict[Weekday, list[str]]
    holidays: HolidayRule | None = HolidayRule()
    closed: list[date] = []
    extra_open: list[date] = []

    @field_validator("week")
    @classmethod
    def _intervals(cls, week: dict[str, list[str]]) -> dict[str, list[str]]:
        for day, intervals in week.items():
            for interval in intervals:
                if not _INTERVAL.match(interval):
                    raise ValueError(
                        f"{day}: {interval!r} is not an interval such as '09:00-17:30'"
                    )
        return week

    def intervals(self) -> dict[str, list[tuple[str, str]]]:
        return {
            day: [(i.split("-")[0], i.split("-")[1]) for i in self.week.get(day, [])]
            for day in WEEKDAYS
        }


class CaseField(Model):
    name: Identifier
    kind: Literal["text", "long_text", "date", "datetime", "phone", "email", "person", "boolean"]
    required: bool = False
    label: Translations


class CaseType(Model):
    title: Translations
    priority: int = 0  # higher is handled first (E5)
    fields: list[CaseField] = []
    internal: bool = (
        False  # raised by staff only (a personal-data breach): never offered to the public
    )


class Channel(Model):
    kind: Literal[
        "email", "web_form", "phone", "voicemail", "chat", "social", "letter", "in_person"
    ]
    title: Translations | None = None
    address: str | None = None
    accepts: list[Identifier] | None = None  # case types it may open; None: all
    redirect_to: Identifier | None = None  # A7: where a refused case type is sent instead
    auto_acknowledge: bool = False  # the `acknowledgement` text is sent when a case arrives

    def accepts_case(self, case_type: str) -> bool:
        return self.accepts is None or case_type in self.accepts


class Start(Model):
    """When a clock starts: an event (``first update_sent``) or a case's date field."""

    event: Identifier | None = None
    which: Literal["first", "last"] = "first"
    before: Identifier | None = None  # T21: N working days before a date field
    after: Identifier | None = None  # T22: N working days after a date field

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            words = value.split()
            if len(words) == 2 and words[0] in ("first", "last"):
                return {"event": words[1], "which": words[0]}
            if len(words) == 1:
                return {"event": words[0]}
            raise ValueError(f"{value!r}: write an event, 'first EVENT' or 'last EVENT'")
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> Start:
        given = [name for name in ("event", "before", "after") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError("give exactly one of an event, 'before: FIELD' or 'after: FIELD'")
        return self


class Within(Model):
    """Several limits, of which the earliest (or latest) deadline counts."""

    earliest: list[DurationText] | None = None
    latest: list[DurationText] | None = None

    @model_validator(mode="after")
    def _one_list(self) -> Within:
        if (self.earliest is None) == (self.latest is None):
            raise ValueError("give either 'earliest:' or 'latest:' with a list of durations")
        return self

    def durations(self) -> list[Duration]:
        return [parse_duration(text) for text in (self.earliest or self.latest or [])]


class Applies(Model):
    case_types: list[Identifier] | None = None
    channels: list[Identifier] | None = None
    received: Literal["in_hours", "out_of_hours"] | None = None  # T15, N5
    fields: dict[Identifier, str | int | bool | None] = {}  # plain equality


class Repeat(Model):
    every: DurationText
    until: list[Identifier] = ["resolved", "closed"]


class Extension(Model):
    max: DurationText
    times: Annotated[int, Field(ge=1)] = 1
    reason_required: bool = True


class Action(Model):
    escalate: Literal["agent", "supervisor", "owner"] | None = None
    notify: Literal["assignee", "agent", "supervisor", "owner"] | None = None
    notify_customer: Identifier | None = None  # a key of `texts`
    reassign: Literal["cover", "supervisor"] | None = None

    @model_validator(mode="after")
    def _one(self) -> Action:
        if len(self.model_dump(exclude_none=True)) != 1:
            raise ValueError("an action is one of escalate, notify, notify_customer, reassign")
        return self


class Commitment(Model):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    promise: list[str] = []  # the promise ids it keeps, e.g. [A9]
    title: Translations
    applies: Applies = Applies()
    starts: Start = Start(event="received")
    met_by: Annotated[list[Identifier], Field(min_length=1)]
    within: DurationText | Within
    calendar: Identifier | None = None  # default: the first calendar
    pause_while: list[Identifier] = []
    restart_on: list[Identifier] = []
    cutoff: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    repeat: Repeat | None = None
    extension: Extension | None = None
    warn: ShareText | DurationText | None = "80%"
    target: ShareText | None = None
    on_breach: list[Action] = []
    text: Translations | list[Translations] | None = None  # what customers are told

    def durations(self) -> list[Duration]:
        if isinstance(self.within, str):
            return [parse_duration(self.within)]
        return self.within.durations()

    def texts(self) -> list[dict[str, str]]:
        if self.text is None:
            return []
        return self.text if isinstance(self.text, list) else [self.text]


class EscalationStep(Model):
    role: Literal["agent", "supervisor", "owner"]
    title: Translations


class ExternalBody(Model):
    id: Identifier
    kind: Literal["ombudsman", "regulator"]
    name: Translations
    url: str | None = None
    case_types: list[Identifier] | None = None
    topics: list[Identifier] = []  # e.g. personal_data (A6)
    after: Literal["anytime", "final_response"] = "final_response"
    binding: bool = False  # A12: the organization follows its decision


class Appeal(Model):
    """A11: the customer may escalate or appeal the decision on these case types."""

    case_types: Annotated[list[Identifier], Field(min_length=1)]
    text: Translations


class SurveyQuestion(Model):
    id: Identifier
    text: Translations


class Survey(Model):
    after: Identifier = "resolved"
    delay: DurationText = "1 day"
    scale: Annotated[int, Field(ge=2, le=10)] = 5
    questions: Annotated[list[SurveyQuestion], Field(min_length=1)]
    publish: bool = True


class Conduct(Model):
    may_refuse: bool = True  # A3
    ends_all_contact: bool = False  # N7: no answer, all contact ended
    review_after: Annotated[str, Field(pattern=_PERIOD.pattern)] = "6 months"
    appeal: bool = True
    text: Translations


class Retention(Model):
    closed_cases: Annotated[str, Field(pattern=_PERIOD.pattern)] = "6 years"
    raw_mail: Annotated[str, Field(pattern=_PERIOD.pattern)] = "1 year"


class Governance(Model):
    """N10: who reviews and approves the charter, and when it was last updated."""

    approvers: Annotated[list[str], Field(min_length=1)]
    accountable: str | None = None
    last_updated: date
    review_every: Annotated[str, Field(pattern=_PERIOD.pattern)] = "1 year"


class Publication(Model):
    results_page: bool = True
    charter_page: bool = True


class Charter(Model):
    charter: Literal[1]  # the version of this file format
    version: str  # the charter's own version label
    organization: Organization
    governance: Governance | None = None
    calendars: Annotated[dict[Identifier, CalendarSpec], Field(min_length=1)]
    case_types: Annotated[dict[Identifier, CaseType], Field(min_length=1)]
    channels: Annotated[dict[Identifier, Channel], Field(min_length=1)]
    events: dict[Identifier, Translations] = {}  # the charter's own event kinds
    commitments: list[Commitment] = []
    escalation: list[EscalationStep] = []
    appeal: Appeal | None = None
    external_bodies: list[ExternalBody] = []
    survey: Survey | None = None
    conduct: Conduct | None = None
    retention: Retention = Retention()
    publication: Publication = Publication()
    texts: dict[Identifier, Translations] = {}

    def calendar_of(self, commitment: Commitment) -> str:
        return commitment.calendar or next(iter(self.calendars))

    def commitment(self, commitment_id: str) -> Commitment:
        for commitment in self.commitments:
            if commitment.id == commitment_id:
                return commitment
        raise KeyError(commitment_id)


def json_schema() -> dict[str, Any]:
    """The JSON Schema editors use to check charter files as they are typed."""
    schema = Charter.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Charterdesk charter"
    return schema
