"""Staff log contacts in the console (/desk/<org>/new/<channel>/): calls, voicemails,
letters and in-store forms, visits. The clock starts when the contact arrived; the
charter's channel rules refuse what a channel does not take and offer where it goes
instead (A7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from charterdesk.cases.clock_index import evaluated, events_of
from charterdesk.cases.models import Case, Clock, Event, Message, Organization, OutboxMessage
from tests.helpers import DeskClock, utc

from .conftest import NOW, SITE

pytestmark = pytest.mark.django_db

FORM_LINK = f"{SITE}/o/ask4/contact/complaint/"


def log(client: Client, org: str, channel: str, data: dict[str, Any]) -> Any:
    return client.post(f"/desk/{org}/new/{channel}/", data)


def kinds(case: Case) -> list[str]:
    return list(Event.objects.filter(case=case).order_by("at", "pk").values_list("kind", flat=True))


@pytest.fixture
def agent(ask4: Organization, member: Callable[..., User], client: Client) -> User:
    user = member(ask4, "agent")
    client.force_login(user)
    return user


CALLER = {
    "name": "Jan Nowak",
    "phone": "+44 7700 900123",
    "email": "jan@example.com",
    "received_at": "2026-09-09T09:55",  # London, five minutes ago
    "subject": "Internet down again",
    "text": "Wants to complain about the third outage this month.",
}


# -- A7: ASK4 takes complaints by online form or letter only ---------------------------


def test_A7_a_phone_complaint_is_refused_and_the_form_link_offered(
    ask4: Organization, agent: User, client: Client
) -> None:
    response = log(client, "ask4", "phone", CALLER | {"case_type": "complaint", "language": "en"})
    assert response.status_code == 422
    html = response.text
    assert "Phone does not take complaint cases under the charter." in html
    assert f"We accept complaints by online form or by letter: {FORM_LINK}" in html
    assert "Log as an enquiry and send the form link" in html
    assert Case.objects.count() == 0
    # the link is the complaint form itself
    assert client.get(FORM_LINK.removeprefix(SITE)).status_code == 200


def test_A7_log_as_an_enquiry_and_send_the_form_link(
    ask4: Organization, agent: User, client: Client
) -> None:
    data = CALLER | {"case_type": "complaint", "language": "pl", "send_redirect": "1"}
    response = log(client, "ask4", "phone", data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/ask4/cases/{case.reference}/"
    assert (case.case_type, case.channel, case.language) == ("enquiry", "phone", "pl")
    text = f"Skargi przyjmujemy przez formularz online lub listownie: {FORM_LINK}"
    sent = Message.objects.get(case=case, direction="out")
    assert sent.body == text
    mail = OutboxMessage.objects.get(case=case, kind="mail")
    assert mail.payload["to"] == ["jan@example.com"]
    assert mail.payload["body"] == text
    assert kinds(case) == ["received", "replied"]
    # telling the caller where complaints go answers the enquiry (ASK4 enquiry-reply)
    assert Clock.objects.get(case=case, commitment="enquiry-reply").state == "met"
    # what the caller said is the case's first message
    said = Message.objects.get(case=case, direction="in")
    assert said.body == CALLER["text"]
    assert said.at == utc(2026, 9, 9, 8, 55)


def test_A7_choosing_complaint_on_the_phone_form_prompts_for_the_form_at_once(
    ask4: Organization, agent: User, client: Client
) -> None:
    html = client.get("/desk/ask4/new/phone/", {"type": "complaint"}).text
    assert 'id="redirect-offer"' in html
    assert "Phone does not take complaint cases under the charter." in html
    assert "The charter sends it to: Online form." in html
    assert f"Skargi przyjmujemy przez formularz online lub listownie: {FORM_LINK}" in html
    assert f"We accept complaints by online form or by letter: {FORM_LINK}" in html
    assert 'name="send_redirect"' in html
    assert "Log it</button>" not in html  # a complaint cannot be logged on the phone
    assert 'name="field_summary"' not in html  # nor are the complaint's fields asked
    plain = client.get("/desk/ask4/new/phone/").text  # the channel's own type: an enquiry
    assert 'id="redirect-offer"' not in plain
    assert 'name="case_type" value="enquiry"' in plain


def test_A7_without_an_address_the_text_is_kept_to_read_out(
    ask4: Organization, agent: User, client: Client
) -> None:
    data = CALLER | {"email": "", "case_type": "complaint", "language": "en"}
    assert "read it to the customer" in log(client, "ask4", "phone", data).text
    response = log(client, "ask4", "phone", data | {"send_redirect": "1"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert Message.objects.filter(case=case, direction="out").count() == 1
    assert not OutboxMessage.objects.filter(case=case, kind="mail").exists()
    page = client.get(response["Location"])
    assert "No email address: read the text to the customer." in page.text


def test_A7_an_enquiry_by_phone_is_logged_as_it_is(
    ask4: Organization, agent: User, client: Client
) -> None:
    response = log(client, "ask4", "phone", CALLER | {"case_type": "enquiry", "language": "en"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.case_type, case.channel) == ("enquiry", "phone")
    assert not Message.objects.filter(case=case, direction="out").exists()
    assert Clock.objects.get(case=case, commitment="enquiry-reply").state == "running"


def test_A7_A8_a_letter_complaint_starts_its_clock_when_the_letter_arrived(
    ask4: Organization, agent: User, client: Client
) -> None:
    # arrived Mon 7 Sep 2026 09:30 London, entered Wed 9 Sep: A8's 24 hours ran from Monday
    data = {
        "case_type": "complaint",
        "language": "en",
        "name": "Ewa Kowal",
        "received_at": "2026-09-07T09:30",
        "subject": "Complaint by post",
        "field_summary": "The engineer did not come.",  # A5: the charter's field
        "field_staff_names": "Tom",
        "text": "I write to complain about the engineer's visit.",
    }
    response = log(client, "ask4", "letter", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.case_type) == ("letter", "complaint")
    assert case.fields == {
        "summary": "The engineer did not come.",
        "staff_names": "Tom",
        "about_personal_data": False,
    }
    assert case.received_at == utc(2026, 9, 7, 8, 30)
    received = Event.objects.get(case=case, kind="received")
    assert received.at == utc(2026, 9, 7, 8, 30)
    receipt = Clock.objects.get(case=case, commitment="complaint-receipt")
    assert (receipt.started_at, receipt.due_at) == (utc(2026, 9, 7, 8, 30), utc(2026, 9, 8, 8, 30))
    assert receipt.state == "breached"  # entered two days late: the desk does not hide it


def test_a_letter_needs_the_time_it_arrived(
    ask4: Organization, agent: User, client: Client
) -> None:
    page = client.get("/desk/ask4/new/letter/")
    assert 'name="received_at"' in page.text
    assert 'value="2026-09-09T10:00"' not in page.text  # not "now": the arrival is asked
    data = {"case_type": "complaint", "language": "en", "text": "A letter"}
    response = log(client, "ask4", "letter", data)
    assert response.status_code == 422
    assert Case.objects.count() == 0


def test_a_time_not_come_yet_is_refused(ask4: Organization, agent: User, client: Client) -> None:
    data = CALLER | {"case_type": "enquiry", "language": "en", "received_at": "2026-09-09T10:30"}
    response = log(client, "ask4", "phone", data)
    assert response.status_code == 422
    assert "That time has not come yet." in response.text
    assert Case.objects.count() == 0


# -- Calls and visits answered there and then (E3) --------------------------------------


def test_E3_a_phone_complaint_resolved_at_first_contact(
    eurolux: Organization, member: Callable[..., User], client: Client
) -> None:
    client.force_login(member(eurolux, "agent"))
    data = {
        "case_type": "complaint",
        "language": "en",
        "field_full_name": "Rauf Əliyev",  # E2: the charter's fields stand in for the contact's
        "field_phone": "+994 50 555 00 11",
        "field_nature": "Charged twice for delivery.",
        "email": "rauf@example.az",
        "received_at": "2026-09-09T12:50",  # Baku
        "answer": "Refunded the second delivery charge.",
        "resolved": "on",
    }
    response = log(client, "eurolux", "phone", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == "resolved"
    assert kinds(case) == ["received", "resolved_at_first_contact"]
    resolved = Event.objects.get(case=case, kind="resolved_at_first_contact")
    assert resolved.data["result"] == "Refunded the second delivery charge."
    assert case.contact is not None
    assert (case.contact.name, case.contact.phone) == ("Rauf Əliyev", "+994 50 555 00 11")
    assert Message.objects.get(case=case, direction="in").body == "Charged twice for delivery."
    registered = Clock.objects.get(case=case, commitment="complaint-registered")
    assert registered.state == "met"
    assert OutboxMessage.objects.filter(case=case, kind="mail").count() == 1


def test_resolved_at_first_contact_needs_the_answer_given(
    eurolux: Organization, member: Callable[..., User], client: Client
) -> None:
    client.force_login(member(eurolux, "agent"))
    data = {
        "case_type": "enquiry",
        "language": "en",
        "received_at": "2026-09-09T12:50",
        "resolved": "on",
    }
    response = log(client, "eurolux", "phone", data)
    assert response.status_code == 422
    assert "Say what the customer was told." in response.text
    assert Case.objects.count() == 0


def test_an_in_store_form_is_a_letter_channel_with_its_own_name(
    eurolux: Organization, member: Callable[..., User], client: Client
) -> None:
    client.force_login(member(eurolux, "agent"))
    assert "Form in a store" in client.get("/desk/eurolux/new/").text
    data = {
        "case_type": "complaint",
        "language": "ru",
        "field_full_name": "Пётр Иванов",
        "field_phone": "+994 50 555 12 34",
        "field_nature": "Продавец был груб.",
        "received_at": "2026-09-08T18:10",
    }
    response = log(client, "eurolux", "store_form", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.received_at) == ("store_form", utc(2026, 9, 8, 14, 10))
    assert case.contact is not None
    assert case.contact.phone == "+994 50 555 12 34"


def test_a_visit_is_logged_at_the_time_it_happened(
    lt_pro: Organization, member: Callable[..., User], client: Client
) -> None:
    client.force_login(member(lt_pro, "agent"))
    page = client.get("/desk/lt-pro/new/in_person/")
    assert 'value="2026-09-09T12:00"' in page.text  # now, in Moscow
    data = {
        "case_type": "certificates",
        "language": "ru",
        "name": "Анна Смирнова",
        "received_at": "2026-09-09T11:40",
        "text": "Asks when her certificate arrives.",
    }
    # the charter's required field for certificates is asked, as the web form asks it
    refused = log(client, "lt-pro", "in_person", data)
    assert refused.status_code == 422
    assert 'name="field_certificates_arrived_on"' in refused.text
    data["case_type"] = "enquiry"
    assert log(client, "lt-pro", "in_person", data).status_code == 302
    assert Case.objects.get().received_at == utc(2026, 9, 9, 8, 40)


# -- Voicemail entered by staff (T15, N5) ------------------------------------------------


def test_T15_a_voicemail_entered_by_staff_is_returned_within_three_working_hours(
    lt_pro: Organization, member: Callable[..., User], client: Client, clock: DeskClock
) -> None:
    # left Tue 14 Apr 2026 11:20 MSK, entered at 11:35: due 14:20 MSK = 11:20 UTC
    clock.now = utc(2026, 4, 14, 8, 35)
    client.force_login(member(lt_pro, "agent"))
    data = {
        "case_type": "enquiry",
        "language": "ru",
        "name": "Ольга Петрова",
        "phone": "+7 812 555 01 02",
        "received_at": "2026-04-14T11:20",
        "text": "Перезвоните по поводу экзамена.",
        "recording_url": "https://pbx.example.ru/vm-1.mp3",
    }
    response = log(client, "lt-pro", "voicemail", data)
    assert response.status_code == 302
    case = Case.objects.get()
    callback = Clock.objects.get(case=case, commitment="voicemail-returned")
    assert (callback.state, callback.due_at) == ("running", utc(2026, 4, 14, 11, 20))
    assert "https://pbx.example.ru/vm-1.mp3" in Message.objects.get(case=case).body
    # called back at 13:50 MSK through the case page: the promise is kept
    clock.now = utc(2026, 4, 14, 10, 50)
    action = f"/desk/lt-pro/cases/{case.reference}/callback/"
    assert client.post(action, {"callback-notes": "Booked her in."}).status_code == 302
    callback.refresh_from_db()
    assert (callback.state, callback.met_at) == ("met", utc(2026, 4, 14, 10, 50))
    assert Event.objects.get(case=case, kind="callback_made").data == {"text": "Booked her in."}


def test_T15_N5_a_voicemail_entered_by_staff_out_of_hours_is_not_on_the_three_hour_clock(
    lt_pro: Organization, member: Callable[..., User], client: Client, clock: DeskClock
) -> None:
    # left Sat 18 Apr 2026 12:00 MSK, entered Monday morning
    clock.now = utc(2026, 4, 20, 7, 5)
    client.force_login(member(lt_pro, "agent"))
    data = {"case_type": "enquiry", "language": "ru", "received_at": "2026-04-18T12:00"}
    assert log(client, "lt-pro", "voicemail", data).status_code == 302
    case = Case.objects.get()
    # no clock row: the index holds the promises that apply; evaluated, it does not apply
    assert not Clock.objects.filter(case=case, commitment="voicemail-returned").exists()
    assert evaluated(case, events_of(case), clock.now)["voicemail-returned"][0] == "not_applicable"


def test_N5_a_voicemail_entered_by_staff_out_of_hours_counts_from_the_next_opening(
    anlp: Organization, member: Callable[..., User], client: Client, clock: DeskClock
) -> None:
    # left Fri 16 Oct 2026 18:30 BST, entered Mon 19 Oct 09:10: counts from Mon 09:00 BST
    clock.now = utc(2026, 10, 19, 8, 10)
    client.force_login(member(anlp, "agent"))
    data = {"case_type": "membership", "language": "en", "received_at": "2026-10-16T18:30"}
    assert log(client, "anlp", "voicemail", data).status_code == 302
    case = Case.objects.get()
    assert case.received_at == utc(2026, 10, 16, 17, 30)
    returned = Clock.objects.get(case=case, commitment="phone-message-answered")
    assert (returned.started_at, returned.due_at) == (utc(2026, 10, 19, 8), utc(2026, 10, 22, 16))
    out_of_hours = Clock.objects.get(case=case, commitment="out-of-hours-handled")
    assert out_of_hours.due_at == utc(2026, 10, 19, 16)


# -- Who may log what --------------------------------------------------------------------


def test_the_channels_offered_are_the_charters_staff_channels(
    lt_pro: Organization, member: Callable[..., User], client: Client
) -> None:
    client.force_login(member(lt_pro, "agent"))
    html = client.get("/desk/lt-pro/new/").text
    for channel in ("phone", "voicemail", "letter", "in_person"):
        assert f'href="/desk/lt-pro/new/{channel}/"' in html
    assert "/new/email/" not in html
    assert "/new/web_form/" not in html
    assert client.get("/desk/lt-pro/new/email/").status_code == 404
    assert client.get("/desk/lt-pro/new/nowhere/").status_code == 404


def test_a_viewer_may_not_log_contacts(
    ask4: Organization, member: Callable[..., User], client: Client
) -> None:
    client.force_login(member(ask4, "viewer"))
    assert client.get("/desk/ask4/new/").status_code == 403
    data = CALLER | {"case_type": "enquiry", "language": "en"}
    assert log(client, "ask4", "phone", data).status_code == 403
    assert Case.objects.count() == 0


def test_another_organizations_desk_is_404(
    ask4: Organization, lt_pro: Organization, member: Callable[..., User], client: Client
) -> None:
    client.force_login(member(ask4, "owner"))
    assert client.get("/desk/lt-pro/new/").status_code == 404
    data = CALLER | {"case_type": "enquiry", "language": "ru"}
    assert log(client, "lt-pro", "phone", data).status_code == 404
    assert Case.objects.count() == 0


def test_the_desk_links_to_logging_a_contact(
    ask4: Organization, member: Callable[..., User], client: Client
) -> None:
    client.force_login(member(ask4, "agent"))
    assert 'href="/desk/ask4/new/"' in client.get("/desk/ask4/").text
    client.force_login(member(ask4, "viewer"))
    assert 'href="/desk/ask4/new/"' not in client.get("/desk/ask4/").text


@pytest.mark.parametrize("language", ["en", "pl", "ru", "sr-latn", "ro", "az"])
def test_the_pages_work_in_every_language(
    ask4: Organization, agent: User, client: Client, language: str
) -> None:
    client.cookies["django_language"] = language
    for path in ("/desk/ask4/new/", "/desk/ask4/new/phone/", "/desk/ask4/new/letter/"):
        response = client.get(path)
        assert response.status_code == 200
        assert f'<html lang="{language}"' in response.text
    refused = log(client, "ask4", "phone", CALLER | {"case_type": "complaint", "language": "pl"})
    assert refused.status_code == 422
    assert FORM_LINK in refused.text


def test_T21_an_exam_registration_by_letter_carries_its_exam_date(
    lt_pro: Organization, member: Callable[..., User], client: Client
) -> None:
    client.force_login(member(lt_pro, "agent"))
    page = client.get("/desk/lt-pro/new/letter/", {"type": "exam_registration"})
    assert 'name="field_exam_date"' in page.text
    data = {
        "case_type": "exam_registration",
        "language": "ru",
        "name": "Иван Петров",
        "received_at": "2026-09-08T15:00",
        "field_exam_date": "2026-10-17",
    }
    assert log(client, "lt-pro", "letter", data).status_code == 302
    case = Case.objects.get()
    assert case.fields == {"exam_date": "2026-10-17", "late_registration": False}
    # confirmed 5 working days before Sat 17 Oct (Fri 16, Thu 15, Wed 14, Tue 13, Mon 12):
    # the close of Mon 12 Oct, 19:00 MSK
    confirmed = Clock.objects.get(case=case, commitment="registration-confirmed")
    assert confirmed.due_at == utc(2026, 10, 12, 16, 0)
    assert utc(2026, 9, 9, 9, 0) == NOW
