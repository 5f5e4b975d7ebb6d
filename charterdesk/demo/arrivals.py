"""Cases arriving: when, by which channel, about what, from whom; and opening them
through ``open_case`` as the desk does."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Case, Contact, Message
from charterdesk.cases.services import open_case
from charterdesk.core.charter import Charter
from charterdesk.demo.content import OrgContent, TopicText, org_content, phrases, pick
from charterdesk.demo.names import Person, person
from charterdesk.demo.people import Team
from charterdesk.demo.stories import LIVE, Story, events_that_matter, plan

#: How likely each weekday is to bring a case, Monday first.
WEEKDAY_SHARE = (1.0, 1.0, 0.95, 0.95, 0.9, 0.35, 0.2)
#: Channels staff enter cases from by hand, in working hours.
STAFF_ENTERED = (*LIVE, "letter")
#: The last fortnight is busier than average: the open queue the demo shows.
RECENT = timedelta(days=14)
RECENT_SHARE = 0.2
#: How likely a customer is to give an email address, by kind of channel.
EMAIL_SHARE = {"email": 1.0, "web_form": 1.0, "chat": 0.7, "social": 0.3, "letter": 0.5}


@dataclass(frozen=True, slots=True)
class Arrival:
    team: Team
    at: datetime  # when it reached the organization
    entered: datetime  # when it was opened on the desk (a letter: later that day)
    case_type: str
    channel: str
    language: str
    country: str  # the organization's: customers' phone numbers mostly are from there


@dataclass
class Customers:
    """Customers already known to an organization: some write again."""

    by_language: dict[str, list[Contact]] = field(default_factory=dict)


def content_of(charter: Charter) -> OrgContent:
    known = org_content(charter.organization.slug)
    if known is not None:
        return known
    even = dict.fromkeys(charter.case_types, 1.0)
    return OrgContent(
        languages=dict.fromkeys(charter.organization.languages, 1.0),
        channels=dict.fromkeys(charter.channels, 1.0),
        case_types=even,
        topics=(),
    )


def arrivals(
    team: Team, rng: random.Random, start: datetime, end: datetime, count: int
) -> list[Arrival]:
    """``count`` cases arriving between ``start`` and ``end``, as real ones would."""
    if team.org.charter is None:
        return []
    charter = parsed(team.org.charter).charter
    content, calendar = content_of(charter), next(iter(parsed(team.org.charter).calendars.values()))
    found: list[Arrival] = []
    while len(found) < count:
        case_type = pick(rng, content.case_types, set(charter.case_types))
        open_to = {n for n, c in charter.channels.items() if c.accepts_case(case_type)}
        channel = pick(rng, content.channels, open_to) if open_to & set(content.channels) else ""
        if not channel:
            continue
        kind = charter.channels[channel].kind
        since = max(start, end - RECENT) if rng.random() < RECENT_SHARE else start
        at = _moment(rng, since, end, kind, calendar.zone)
        if kind in STAFF_ENTERED:
            at = calendar.next_working_moment(at)
        entered = at if kind in LIVE else at + timedelta(seconds=rng.uniform(2, 30))
        if kind == "letter":
            entered = calendar.add_working(at, timedelta(minutes=rng.uniform(20, 300)))
        if entered >= end:
            continue
        language = pick(rng, content.languages, set(charter.organization.languages))
        country = charter.organization.country
        found.append(Arrival(team, at, entered, case_type, channel, language, country))
    return found


def _moment(rng: random.Random, start: datetime, end: datetime, kind: str, zone: Any) -> datetime:
    while True:
        day = (start + (end - start) * rng.random()).astimezone(zone).date()
        if rng.random() > WEEKDAY_SHARE[day.weekday()]:
            continue
        if kind in STAFF_ENTERED or (kind == "voicemail" and rng.random() < 0.5):
            hours = rng.uniform(9, 17)
        elif kind == "voicemail":
            hours = rng.choice((rng.uniform(6, 9), rng.uniform(17, 23)))
        else:
            hours = rng.triangular(7, 23.9, 13)
        local = datetime.combine(day, time(), tzinfo=zone) + timedelta(hours=hours)
        at = local.astimezone(UTC)
        if start <= at < end:
            return at


def open_arrival(
    arrival: Arrival, rng: random.Random, customers: Customers, end: datetime
) -> Story:
    """Open the case through ``open_case`` and decide its story."""
    team = arrival.team
    org = team.org
    assert org.charter is not None
    charter = parsed(org.charter).charter
    content = content_of(charter)
    topic = content.topic(rng, arrival.case_type, arrival.language) or _plain_topic(arrival)
    kind = charter.channels[arrival.channel].kind
    who, contact = _customer(arrival, kind, rng, customers)
    agent = rng.choice(team.agents) if rng.random() < 0.85 else team.supervisor
    fields, appointment = _fields(charter, arrival, rng, topic, who)
    case = open_case(
        org,
        case_type=arrival.case_type,
        channel=arrival.channel,
        received_at=arrival.at,
        now=arrival.entered,
        subject=topic.subject,
        fields=fields,
        contact=contact,
        language=arrival.language,
        actor=agent if kind in STAFF_ENTERED else None,
    )
    _first_message(case, who, topic, arrival)
    story = Story(
        case=case,
        team=team,
        topic=topic,
        phrases=phrases(arrival.language),
        person=who,
        agent=agent,
        rng=rng,
        appointment=appointment,
    )
    plan(story, events_that_matter(case, arrival.entered), arrival.at, end)
    if kind in LIVE and any(
        c.due_at - arrival.entered < timedelta(minutes=10)
        for c in story.running_clocks(arrival.entered)
    ):
        story.steps.appendleft("quick")
    return story


def _first_message(case: Case, who: Person, topic: TopicText, arrival: Arrival) -> None:
    """What the customer wrote or said; intake stores it with the case it opens."""
    Message.objects.create(
        organization_id=case.organization_id,
        case=case,
        direction=Message.Direction.IN,
        channel=case.channel,
        author=who.name,
        body=topic.body,
        at=arrival.at,
    )


def _customer(
    arrival: Arrival, kind: str, rng: random.Random, customers: Customers
) -> tuple[Person, Contact]:
    org = arrival.team.org
    known = customers.by_language.setdefault(arrival.language, [])
    if known and rng.random() < 0.12:
        contact = rng.choice(known)
        first = contact.name.split()[0]
        return Person(contact.name, first, contact.email, contact.phone), contact
    pool = arrival.language
    if org.slug == "eurolux" and pool == "ru" and rng.random() < 0.5:
        pool = "ru-AZ"  # Baku: many customers with Azerbaijani names write in Russian
    country = "RS" if pool == "sr-Latn" else arrival.country
    who = person(rng, pool, country)
    with_email = rng.random() < EMAIL_SHARE.get(kind, 0.5)
    contact = Contact.objects.create(
        organization=org,
        name=who.name,
        email=who.email if with_email else "",
        phone=who.phone if kind not in ("email", "web_form") or rng.random() < 0.6 else "",
        language=arrival.language,
    )
    known.append(contact)
    return Person(who.name, who.first, contact.email, contact.phone), contact


def _fields(
    charter: Charter, arrival: Arrival, rng: random.Random, topic: TopicText, who: Person
) -> tuple[dict[str, object], date | None]:
    """The case type's fields as a customer (or the member of staff) fills them in."""
    today = arrival.at.astimezone(ZoneInfo(arrival.team.org.timezone)).date()
    values: dict[str, object] = {}
    appointment: date | None = None
    for spec in charter.case_types[arrival.case_type].fields:
        name, kind = spec.name, spec.kind
        if name == "appointment_on":
            appointment = _weekday(today + timedelta(days=rng.choice((1, 1, 2, 2, 3, 5, 7, 10))))
            values[name] = appointment.isoformat()
        elif name == "exam_date":
            exam = today + timedelta(days=rng.randint(8, 70))
            values[name] = exam.isoformat()
            values["late_registration"] = (exam - today).days < 14
        elif name == "certificates_arrived_on":
            values[name] = (today - timedelta(days=rng.randint(0, 4))).isoformat()
        elif name == "late_registration" or kind == "datetime":
            continue
        elif kind == "long_text" and spec.required:
            values[name] = topic.body
        elif kind == "person" and spec.required:
            values[name] = who.name
        elif kind == "person" and rng.random() < 0.3:  # someone else: the employee who served
            values[name] = person(rng, arrival.language, "").name
        elif kind == "phone" or name == "phone_numbers":
            values[name] = who.phone or "—"
        elif kind == "boolean":
            values[name] = topic.personal_data if "personal" in name else False
        elif name == "case_references" and rng.random() < 0.5:
            values[name] = f"#{rng.randint(100000, 999999)}"
        elif spec.required:
            values[name] = topic.subject
    return values, appointment


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _plain_topic(arrival: Arrival) -> TopicText:
    words = phrases(arrival.language)
    return TopicText(
        subject=arrival.case_type.replace("_", " ").capitalize(),
        body=words["customer_info"][0],
        result=words["appeal_result"],
        steps=tuple(words["appeal_steps"]),
    )
