"""The world of the access matrix: two organizations (ours, ASK4, and another, ANLP) with
one of everything a URL can name (a case with a message, an attachment, a tracking link, a
help article, an event, a clock, an outbox row, an audit entry, a channel conversation and
event), and the people who ask: each role of ours, a staff member of the other
organization, and nobody logged in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, Permission, User
from django.core.files.base import ContentFile
from django.db.models import Model
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from charterdesk.cases.models import (
    Attachment,
    AuditEntry,
    Case,
    Clock,
    Contact,
    Event,
    Membership,
    Message,
    Organization,
    OutboxMessage,
)
from charterdesk.cases.services import open_case
from charterdesk.channels.models import ChannelConversation, ChannelEvent
from charterdesk.conduct.models import Restriction
from charterdesk.knowledge.models import Article
from charterdesk.portal import links
from charterdesk.privacy.models import LegalHold
from tests.seeds import install

OURS, THEIRS = "ask4", "anlp"
ROLES = ("owner", "supervisor", "agent", "viewer")
#: Who asks: our four roles, the other organization's owner (staff in the admin), nobody.
ASKERS = (*ROLES, "stranger", "anonymous")
#: The webhook channel both organizations' charters have, and its secret in these tests.
CHANNEL = "phone"
CHANNEL_SECRET = "matrix-test-secret"
#: The apps whose admin the organizations' staff get every permission of.
STAFF_APPS = ("cases", "channels", "knowledge")
ARRIVED = datetime(2026, 9, 8, 9, 0, tzinfo=UTC)


@dataclass
class Side:
    """One organization and one of each of its objects."""

    org: Organization
    case: Case
    token: str
    attachment: Attachment
    article: Article
    objects: dict[str, Model] = field(default_factory=dict)  # by admin label "app.model"


@dataclass
class World:
    ours: Side
    theirs: Side
    users: dict[str, User]  # by asker (no "anonymous")
    globals: dict[str, Model]  # a row of each admin model of the whole installation


def _side(name: str, now: datetime) -> Side:
    org = install(name)
    contact = Contact.objects.create(
        organization=org, name="Ada Customer", email=f"ada@{name}.example", language="en"
    )
    case = open_case(
        org,
        case_type="enquiry",
        channel="email",
        received_at=ARRIVED,
        now=ARRIVED,
        contact=contact,
        subject=f"Matrix case of {name}",
    )
    message = Message.objects.create(
        organization=org, case=case, direction="in", channel="email", body="Hello", at=ARRIVED
    )
    attachment = Attachment(
        organization=org, message=message, filename="bill.txt", content_type="text/plain", size=5
    )
    attachment.file.save("matrix.txt", ContentFile(b"hello"), save=True)
    token = links.new_token()
    links.grant(case, token, now)
    article = Article.objects.create(
        organization=org,
        slug=f"only-{name}",
        language="en",
        title=f"Only {name}",
        body="Text.",
        published=True,
        updated_at=ARRIVED,
    )
    conversation = ChannelConversation.objects.create(
        organization=org, channel=CHANNEL, external_id=f"call-{name}", case=case, created_at=ARRIVED
    )
    event = ChannelEvent.objects.create(
        organization=org,
        channel=CHANNEL,
        event_id=f"ev-{name}",
        kind=ChannelEvent.Kind.choices[0][0],
        case=case,
        outcome=ChannelEvent.Outcome.choices[0][0],
        received_at=ARRIVED,
    )
    outbox = OutboxMessage.objects.filter(case=case).first() or OutboxMessage.objects.create(
        organization=org,
        case=case,
        kind="mail",
        key=f"matrix-{name}",
        payload={},
        next_attempt_at=ARRIVED,
    )
    audit = AuditEntry.objects.filter(organization=org).first() or AuditEntry.objects.create(
        organization=org, action="matrix", target=f"case:{case.reference}", at=ARRIVED
    )
    objects: dict[str, Model] = {
        "cases.organization": org,
        "cases.case": case,
        "cases.event": Event.objects.filter(case=case).first(),  # type: ignore[dict-item]
        "cases.clock": Clock.objects.filter(case=case).first(),  # type: ignore[dict-item]
        "cases.outboxmessage": outbox,
        "cases.auditentry": audit,
        "channels.channelconversation": conversation,
        "channels.channelevent": event,
        "knowledge.article": article,
    }
    assert org.charter is not None
    objects["cases.charterversion"] = org.charter
    # A restriction already lifted (so no other probe meets a restricted contact) and a
    # legal hold: the objects the conduct and privacy pages name by id.
    objects["conduct.restriction"] = Restriction.objects.create(
        organization=org, contact=contact, case=case, reason="Matrix", channels=["email"],
        review_on=date(2026, 12, 1), decided_at=ARRIVED, lifted_at=ARRIVED,
    )  # fmt: skip
    objects["privacy.legalhold"] = LegalHold.objects.create(
        organization=org, contact=contact, reason="Matrix", placed_at=ARRIVED
    )
    assert all(row is not None for row in objects.values()), objects
    return Side(org, case, token, attachment, article, objects)


def _staff(user: User) -> User:
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=STAFF_APPS))
    return user


def build(now: datetime) -> World:
    ours, theirs = _side(OURS, now), _side(THEIRS, now)
    users: dict[str, User] = {}
    for role in ROLES:
        users[role] = User.objects.create_user(f"matrix-{role}", password="x")
        Membership.objects.create(organization=ours.org, user=users[role], role=role)
    _staff(users["owner"])  # our operator in the admin
    users["stranger"] = _staff(User.objects.create_user("matrix-stranger", password="x"))
    Membership.objects.create(organization=theirs.org, user=users["stranger"], role="owner")
    ours.objects["cases.membership"] = Membership.objects.get(user=users["owner"])
    theirs.objects["cases.membership"] = Membership.objects.get(user=users["stranger"])
    holder = User.objects.create_user("matrix-two-factor", password="x")  # asks nothing
    rows: dict[str, Model] = {
        "auth.user": users["owner"],
        "auth.group": Group.objects.create(name="matrix"),
        # (no axes.accessattempt: django-axes deletes expired ones as the probes log in)
        "axes.accesslog": AccessLog.objects.create(
            username="x", ip_address="192.0.2.1", user_agent="", path_info="/"
        ),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            username="x", ip_address="192.0.2.1", user_agent="", path_info="/", locked_out=False
        ),
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=holder, name="phone"),
        "otp_static.staticdevice": StaticDevice.objects.create(user=holder, name="backup"),
    }
    return World(ours, theirs, users, rows)


def cleanup(world: World) -> None:
    for side in (world.ours, world.theirs):
        side.attachment.file.delete(save=False)


Data = dict[str, Any]
