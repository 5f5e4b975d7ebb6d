"""The operators' admin is scoped like the console: a staff member sees the rows of their
own organizations; a superuser sees all. Events, clocks and the audit log are read-only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from charterdesk.cases.models import Event
from tests.helpers import utc

from .conftest import arrived

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(ask4, leviatan):
    mine = arrived(ask4, "enquiry", "letter", utc(2026, 9, 8, 9), subject="Mine")
    theirs = arrived(leviatan, "enquiry", "letter", utc(2026, 9, 8, 9), subject="Theirs")
    return mine, theirs


@pytest.fixture
def operator(ask4, member) -> User:
    user = member(ask4, "owner", "olga")
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="cases", codename__startswith="view_")
        | Permission.objects.filter(content_type__app_label="cases", codename="change_case")
    )
    return user


def test_staff_see_only_their_organizations(client: Client, operator, two_cases) -> None:
    mine, theirs = two_cases
    client.force_login(operator)
    listing = client.get("/admin/cases/case/").text
    assert mine.reference in listing
    assert theirs.reference not in listing
    assert client.get(f"/admin/cases/case/{theirs.pk}/change/").status_code == 404
    assert client.get(f"/admin/cases/case/{mine.pk}/change/").status_code == 200
    orgs = client.get("/admin/cases/organization/").text
    assert "ASK4" in orgs
    assert "Leviatan" not in orgs
    events = client.get("/admin/cases/event/").text
    assert "ASK-2026-000001" in events
    assert "LEV-2026" not in events


def test_a_superuser_sees_everything(client: Client, two_cases) -> None:
    mine, theirs = two_cases
    client.force_login(User.objects.create_superuser("root", password="x"))
    listing = client.get("/admin/cases/case/").text
    assert mine.reference in listing
    assert theirs.reference in listing


def test_events_are_read_only(client: Client, two_cases) -> None:
    client.force_login(User.objects.create_superuser("root", password="x"))
    event = Event.objects.filter(case=two_cases[0]).first()
    assert event is not None
    assert client.get("/admin/cases/event/add/").status_code == 403
    page = client.get(f"/admin/cases/event/{event.pk}/change/")
    assert page.status_code == 200
    assert 'type="submit"' not in page.text.split('id="content-main"')[1].split("</form>")[0]
