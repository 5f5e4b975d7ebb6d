"""What a mail received alone (one LMTP connection: a transaction a mail) no longer pays
for, and that it is still the same: the address table kept while the charters in force
are the same, and rows written and read in plain SQL
(docs/decisions/0013-plain-sql-on-hot-paths.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.forms.models import model_to_dict

from charterdesk.cases.charters import approve_charter, propose_charter
from charterdesk.cases.models import (
    Case,
    CharterVersion,
    Contact,
    Event,
    Message,
    Organization,
    OutboxMessage,
)
from charterdesk.intake import routing
from charterdesk.intake.plain_rows import columns, insert, instance
from charterdesk.intake.receive import receive
from charterdesk.intake.routing import Router

from .conftest import CHARTERS, NOW
from .test_receive import mail


def _leviatan_with(old: str, new: str) -> CharterVersion:
    text = (CHARTERS / "leviatan.yaml").read_text(encoding="utf-8")
    assert old in text
    return approve_charter(
        propose_charter(text.replace(old, new), "charters/leviatan.yaml"), by=None
    )


# --- the address table -------------------------------------------------------------------
def test_the_address_table_is_kept_while_the_charters_in_force_stay(
    orgs: dict[str, Organization],
) -> None:
    first = Router()
    assert Router()._table is first._table  # the same charters: the table made once
    _leviatan_with("address: contact@leviatan.ro", "address: hello@leviatan.ro")
    assert Router()._table is not first._table


def test_an_address_a_new_charter_drops_is_refused_at_once(
    orgs: dict[str, Organization],
) -> None:
    assert receive(mail(message_id="<a@x>"), now=NOW).kind == "case"  # contact@leviatan.ro
    _leviatan_with("address: contact@leviatan.ro", "address: hello@leviatan.ro")
    outcome = receive(mail(message_id="<b@x>"), now=NOW)
    assert (outcome.kind, outcome.code) == ("rejected", "unknown-recipient")
    assert receive(mail(message_id="<c@x>", to="hello@leviatan.ro"), now=NOW).kind == "case"


def test_a_charter_changed_by_another_process_is_seen_at_once(
    orgs: dict[str, Organization],
) -> None:
    """Nothing in this process is told of the change (another process approved it, here
    an UPDATE behind the ORM's back): each batch asks the database which charters are in
    force, so the table kept for the old ones is not used."""
    leviatan = orgs["leviatan"]
    old = leviatan.charter
    assert old is not None
    Router()  # the table of the charters in force now is kept
    text = old.source.replace("address: contact@leviatan.ro", "address: hello@leviatan.ro")
    version = propose_charter(text, "charters/leviatan.yaml")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Organization._meta.db_table} SET charter_id = %s WHERE id = %s",
            [version.pk, leviatan.pk],
        )
    assert Router().route(["contact@leviatan.ro"]) is None
    found = Router().route(["Hello+LEV-2026-000001@leviatan.ro"])
    assert found is not None
    assert (found.organization.pk, found.organization.charter_id) == (leviatan.pk, version.pk)
    assert found.tag == "LEV-2026-000001"


def test_a_routed_organization_is_the_one_the_orm_reads(orgs: dict[str, Organization]) -> None:
    found = Router().route(["contact@leviatan.ro"])
    assert found is not None
    read = Organization.objects.select_related("charter").get(pk=found.organization.pk)
    assert model_to_dict(found.organization) == model_to_dict(read)
    assert found.organization.languages == read.languages  # JSON, converted
    assert found.organization.charter is not None
    assert read.charter is not None
    assert model_to_dict(found.organization.charter) == model_to_dict(read.charter)
    assert found.organization.charter.approved_at == read.charter.approved_at  # a datetime
    assert found.organization.charter.created_at == read.charter.created_at
    assert found.organization._state.adding is False
    assert found.organization._state.db == read._state.db


def test_a_table_of_other_charters_kept_by_the_process_is_not_used(
    orgs: dict[str, Organization], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table kept for charters no longer in force (here: made up) is made again."""
    monkeypatch.setattr(routing, "_TABLE", ({(0, "gone"): 0}, {"contact@leviatan.ro": (0, "x")}))
    found = Router().route(["contact@leviatan.ro"])
    assert found is not None
    assert found.organization.pk == orgs["leviatan"].pk


# --- rows in plain SQL -------------------------------------------------------------------
def _columns_of(row: Any, *leave_out: str) -> dict[str, Any]:
    values = {field.attname: getattr(row, field.attname) for field in type(row)._meta.fields}
    return {name: value for name, value in values.items() if name not in ("id", *leave_out)}


def test_insert_writes_what_bulk_create_writes(orgs: dict[str, Organization]) -> None:
    org = orgs["leviatan"]
    assert org.charter is not None

    def rows(number: int) -> tuple[Contact, Case, Event, Message, OutboxMessage]:
        contact = Contact(organization=org, email="ana@example.ro", name="Ana")
        case = Case(
            organization=org, reference=f"LEV-2026-{number:06d}",
            charter=org.charter, case_type="complaint", channel="email", subject="Ș",
            fields={"a": [1, "ă"]}, language="ro", contact=contact, received_at=NOW,
        )  # fmt: skip
        event = Event(organization=org, case=case, kind="received", at=NOW, data={"x": "y"})
        message = Message(
            organization_id=org.pk, case=case, direction=Message.Direction.IN, channel="email",
            author="Ana", body="text", raw=b"\x00raw\xff", message_id="<m@x>", at=NOW,
        )  # fmt: skip
        outbox = OutboxMessage(
            organization_id=org.pk, case=case, kind="mail", key=f"mail:{case.reference}",
            payload={"to": "ana@example.ro", "n": 1}, next_attempt_at=NOW,
        )  # fmt: skip
        return contact, case, event, message, outbox

    ours, theirs = rows(901), rows(902)
    for mine, orm in zip(ours, theirs, strict=True):  # a contact saved after it was assigned
        assert insert(type(mine), [mine]) == [mine]
        type(orm)._default_manager.bulk_create([orm])
        assert mine.pk is not None
        assert mine._state.adding is False
        assert mine._state.db == orm._state.db
    for mine, orm in zip(ours, theirs, strict=True):
        stored = type(mine)._default_manager.get(pk=mine.pk)
        expected = type(orm)._default_manager.get(pk=orm.pk)
        leave_out = ("reference", "key", "created_at", "recorded_at", "contact_id", "case_id")
        assert _columns_of(stored, *leave_out) == _columns_of(expected, *leave_out)
    assert ours[1].contact_id == ours[0].pk
    assert Event.objects.get(pk=ours[2].pk).case_id == ours[1].pk
    raw = Message.objects.get(pk=ours[3].pk).raw
    assert raw is not None
    assert bytes(raw) == b"\x00raw\xff"
    assert OutboxMessage.objects.get(pk=ours[4].pk).created_at is not None  # auto_now_add


def test_many_rows_come_back_with_their_own_keys(orgs: dict[str, Organization]) -> None:
    org = orgs["ask4"]
    contacts = [Contact(organization=org, email=f"c{n}@example.ro") for n in range(1200)]
    insert(Contact, contacts)  # more rows than one statement may carry on SQLite
    stored = dict(Contact.objects.filter(organization=org).values_list("pk", "email"))
    assert {contact.pk: contact.email for contact in contacts} == stored


def test_instance_reads_a_row_as_the_orm_does(orgs: dict[str, Organization]) -> None:
    org = orgs["eurolux"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(Organization, 'o')} FROM {Organization._meta.db_table} o"
            " WHERE o.id = %s",
            [org.pk],
        )
        read = instance(Organization, cursor.fetchone())
    assert model_to_dict(read) == model_to_dict(Organization.objects.get(pk=org.pk))
    assert isinstance(read.languages, list)
