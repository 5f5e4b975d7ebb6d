"""What the customer does from the tracking page: reply, add evidence, answer an
information request (T18), appeal (A11), rate the service (A4, T23), download files."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from charterdesk.cases import actions
from charterdesk.cases.models import (
    Attachment,
    Case,
    Clock,
    Event,
    Membership,
    Message,
    Organization,
    OutboxMessage,
)
from charterdesk.outbox.notifications import STAFF_MAIL, carry_out_notifications

from .conftest import ASK4_COMPLAINT, NOW, submit, tracking_path

PDF = b"%PDF-1.4\n% evidence\n"


def act(path: str, name: str, data: dict[str, Any], lang: str = "en", **extra: Any) -> Any:
    return Client(**extra).post(f"{path}{name}/?lang={lang}", data)


def kinds(case: Case) -> list[str]:
    return list(Event.objects.filter(case=case).order_by("at", "pk").values_list("kind", flat=True))


def test_the_customer_replies(complaint: Any) -> None:
    case, path = complaint
    response = act(path, "reply", {"body": "Still broken today."})
    assert response.status_code == 302
    assert response["Location"] == f"{path}?lang=en&done=reply#reply"
    message = Message.objects.filter(case=case, direction="in").order_by("-pk").first()
    assert message is not None
    assert message.body == "Still broken today."
    assert kinds(case)[-1] == "customer_replied"
    page = Client().get(response["Location"]).content.decode()
    assert "Thank you: we have your message." in page
    assert "Still broken today." in page


def test_an_empty_reply_is_refused_in_the_page_language(complaint: Any) -> None:
    case, path = complaint
    response = act(path, "reply", {"body": ""}, lang="pl")
    assert response.status_code == 400
    assert "To pole jest wymagane." in response.content.decode()
    assert kinds(case)[-1] == "acknowledged"


def test_the_customer_adds_evidence(complaint: Any) -> None:
    case, path = complaint
    upload = SimpleUploadedFile("bill.pdf", PDF, content_type="application/pdf")
    response = act(path, "evidence", {"attachments": [upload], "note": "The bill"})
    assert response.status_code == 302
    attachment = Attachment.objects.get(message__case=case)
    assert attachment.filename == "bill.pdf"
    assert attachment.message.body == "The bill"
    page = Client().get(path).content.decode()
    assert "bill.pdf" in page
    download = Client().get(f"{path}files/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/octet-stream"
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    attachment.file.delete(save=False)


def test_evidence_is_checked_like_the_form(complaint: Any) -> None:
    _case, path = complaint
    program = SimpleUploadedFile("photo.png", b"MZ\x90\x00" + b"\0" * 40, content_type="image/png")
    response = act(path, "evidence", {"attachments": [program]})
    assert response.status_code == 400
    assert "“photo.png” is a program" in response.content.decode()
    assert not Attachment.objects.exists()
    assert act(path, "evidence", {"note": "nothing attached"}).status_code == 400


def test_another_case_s_file_is_not_found(complaint: Any, ask4: Organization) -> None:
    _case, path = complaint
    upload = SimpleUploadedFile("bill.pdf", PDF, content_type="application/pdf")
    submit(
        Client(REMOTE_ADDR="10.9.9.9"),
        ask4,
        "complaint",
        {**ASK4_COMPLAINT, "attachments": [upload]},
    )
    theirs = Attachment.objects.get()
    assert Client().get(f"{path}files/{theirs.pk}/").status_code == 404
    theirs.file.delete(save=False)


def test_t18_answering_an_information_request_completes_the_information(
    lt_pro: Organization, client: Client, agent: Any, clock: Any
) -> None:
    data = {"name": "Ivan", "email": "ivan@example.ru", "field_exam_date": "2026-12-01"}
    data["message"] = "Запишите меня на экзамен"
    submit(client, lt_pro, "exam_registration", data, lang="ru")
    case = Case.objects.get(organization=lt_pro)
    path = tracking_path(case)
    staff = agent(lt_pro, "Olga", "Petrova")
    clock.now = NOW + timedelta(hours=1)
    actions.request_information(
        case, question="Пришлите копию паспорта", now=clock.now, actor=staff
    )
    page = Client().get(path).content.decode()
    assert "Пришлите копию паспорта" in page
    assert 'name="complete"' in page  # the box: this is all the information
    clock.now = NOW + timedelta(hours=2)
    response = act(path, "reply", {"body": "Паспорт: 4000 123456", "complete": "on"}, lang="ru")
    assert response.status_code == 302
    assert kinds(case)[-2:] == ["customer_replied", "info_complete"]
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    complete = Event.objects.get(case=case, kind="info_complete")
    assert complete.actor is None
    assert complete.at == clock.now


def test_t18_a_reply_without_the_box_does_not_complete_it(
    complaint: Any, agent: Any, clock: Any
) -> None:
    case, path = complaint
    actions.request_information(
        case, question="Which router?", now=NOW, actor=agent(case.organization)
    )
    act(path, "reply", {"body": "A grey one"})
    assert "info_complete" not in kinds(case)
    # and the box means nothing when nothing was asked
    act(path, "reply", {"body": "More", "complete": "on"})
    assert "info_complete" not in kinds(case)


def resolved(case: Case, staff: Any, at: Any) -> None:
    actions.resolve(case, result="Router replaced", steps=["Sent an engineer"], now=at, actor=staff)


def test_a11_an_appeal_only_after_a_resolution(complaint: Any, agent: Any, clock: Any) -> None:
    case, path = complaint
    page = Client().get(path + "?lang=en").content.decode()
    assert 'id="appeal"' not in page
    assert act(path, "appeal", {"reason": "too early"}).status_code == 302
    assert "appealed" not in kinds(case)  # refused: nothing to appeal yet
    clock.now = NOW + timedelta(days=1)
    resolved(case, agent(case.organization), clock.now)
    page = Client().get(path + "?lang=pl").content.decode()
    assert 'id="appeal"' in page
    assert "masz prawo do eskalacji sprawy lub odwołania się od podjętej decyzji" in page
    clock.now = NOW + timedelta(days=2)
    response = act(path, "appeal", {"reason": "The router still drops."}, lang="pl")
    assert response.status_code == 302
    event = Event.objects.get(case=case, kind="appealed")
    assert event.data == {"reason": "The router still drops."}
    assert event.at == clock.now
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    page = Client().get(path + "?lang=en").content.decode()
    assert "You asked us to review our decision" in page
    assert 'id="appeal"' not in page
    assert act(path, "appeal", {"reason": "again"}).status_code == 302
    assert kinds(case).count("appealed") == 1


def test_a11_staff_are_told_of_an_appeal(complaint: Any, agent: Any, clock: Any) -> None:
    case, path = complaint
    handler = agent(case.organization)
    handler.email = "anna@ask4.example"
    handler.save()
    boss = agent(case.organization, "Piotr", "Zieliński")
    boss.email = "piotr@ask4.example"
    boss.save()
    Membership.objects.filter(user=boss).update(role="supervisor")
    clock.now = NOW + timedelta(days=1)
    actions.assign(case, to=handler, now=clock.now, actor=boss)
    resolved(case, handler, clock.now)
    clock.now = NOW + timedelta(days=2)
    act(path, "appeal", {"reason": "The router still drops."})
    carry_out_notifications(clock.now, 100, lambda: 0.0)
    told = OutboxMessage.objects.filter(case=case, kind="mail", payload__audience="staff")
    mails = {row.payload["to"][0]: row.payload for row in told}
    assert set(mails) == {"anna@ask4.example", "piotr@ask4.example"}
    with translation.override("pl"):  # ASK4's first language
        subject = str(STAFF_MAIL["appealed"][0]) % {"reference": case.reference}
    assert mails["piotr@ask4.example"]["subject"] == subject
    carry_out_notifications(clock.now + timedelta(minutes=5), 100, lambda: 0.0)
    assert told.count() == 2  # once


def test_a11_no_appeal_for_case_types_the_charter_does_not_name(
    ask4: Organization, client: Client, agent: Any
) -> None:
    submit(client, ask4, "enquiry", {**ASK4_COMPLAINT, "message": "How fast is it?"})
    case = Case.objects.get(organization=ask4)
    path = tracking_path(case)
    resolved(case, agent(ask4), NOW)
    assert 'id="appeal"' not in Client().get(path).content.decode()
    act(path, "appeal", {"reason": "no"})
    assert "appealed" not in kinds(case)


def test_a4_t23_the_customer_rates_the_service_after_resolution(
    complaint: Any, agent: Any, clock: Any
) -> None:
    case, path = complaint
    assert 'id="rate"' not in Client().get(path).content.decode()
    clock.now = NOW + timedelta(days=1)
    resolved(case, agent(case.organization), clock.now)
    page = Client().get(path + "?lang=pl").content.decode()
    assert 'id="rate"' in page
    assert "Jak oceniasz naszą pomoc?" in page
    assert "Czy nasze wyjaśnienia były zrozumiałe?" in page
    response = act(path, "rate", {"q_satisfied": "4", "q_clear": "5"})
    assert response.status_code == 302
    rated = Event.objects.get(case=case, kind="rated")
    assert rated.data == {"score": 4, "answers": {"satisfied": 4, "clear": 5}}
    page = Client().get(path + "?lang=en").content.decode()
    assert 'id="rate"' not in page
    assert "You have rated our service" in page
    act(path, "rate", {"q_satisfied": "1", "q_clear": "1"})
    assert Event.objects.filter(case=case, kind="rated").count() == 1


def test_a4_an_answer_off_the_scale_is_refused(complaint: Any, agent: Any) -> None:
    case, path = complaint
    resolved(case, agent(case.organization), NOW)
    response = act(path, "rate", {"q_satisfied": "9", "q_clear": "5"})
    assert response.status_code == 400
    assert not Event.objects.filter(case=case, kind="rated").exists()


def test_the_forms_of_the_page_need_their_csrf_token(complaint: Any) -> None:
    _case, path = complaint
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"{path}reply/", {"body": "hello"}).status_code == 403
    page = client.get(path).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 2
    token = client.cookies["csrftoken"].value
    reply = client.post(f"{path}reply/", {"body": "hello", "csrfmiddlewaretoken": token})
    assert reply.status_code == 302


def test_a_closed_case_takes_no_more_replies(complaint: Any) -> None:
    case, path = complaint
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    assert 'id="reply"' not in Client().get(path).content.decode()
    response = act(path, "reply", {"body": "hello?"})
    assert response["Location"].endswith("done=refused#top")
    assert "customer_replied" not in kinds(case)


def test_the_page_reads_a_fixed_number_of_queries(
    complaint: Any, agent: Any, django_assert_max_num_queries: Any
) -> None:
    case, path = complaint
    staff = agent(case.organization)
    for n in range(5):
        actions.reply(case, body=f"Update {n}", now=NOW, actor=staff, kind="update_sent")
    assert Clock.objects.filter(case=case).exists()
    with django_assert_max_num_queries(12):  # 10 today, whatever the length of the case
        assert Client().get(path).status_code == 200
