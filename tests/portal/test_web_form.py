"""The public web form: built from the charter, opens a case on the web form channel,
acknowledges with the tracking link, refuses bad files and stops spam."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from charterdesk.cases.models import Attachment, Case, Contact, Event, Message, Organization
from charterdesk.portal import links
from charterdesk.portal.models import CaseAccess
from tests.seeds import install

from .conftest import ASK4_COMPLAINT, CHARTERS, SITE, submit, tracking_path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% a document\n"


def test_the_contact_page_lists_the_case_types_of_the_web_form(ask4: Organization) -> None:
    page = Client().get("/o/ask4/contact/?lang=pl").content.decode()
    assert 'href="/o/ask4/contact/complaint/?lang=pl"' in page
    assert "Skarga" in page
    assert "Zapytanie" in page


def test_only_case_types_the_web_form_accepts(db: None) -> None:
    text = (CHARTERS / "ask4.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    accepts: [enquiry, complaint]  # not personal_data_breach\n",
        "    accepts: [complaint]\n",
    )
    install("ask4", text)
    client = Client()
    page = client.get("/o/ask4/contact/").content.decode()
    assert "/o/ask4/contact/complaint/" in page
    assert "/o/ask4/contact/enquiry/" not in page
    assert client.get("/o/ask4/contact/enquiry/").status_code == 404
    assert client.post("/o/ask4/contact/enquiry/", {"email": "a@b.c"}).status_code == 404
    assert not Case.objects.exists()


def test_an_unknown_organization_or_case_type_is_not_found(ask4: Organization) -> None:
    client = Client()
    assert client.get("/o/nobody/contact/").status_code == 404
    assert client.get("/o/ask4/contact/nothing/").status_code == 404


def test_a5_an_ask4_complaint_asks_for_a_summary_and_the_evidence(ask4: Organization) -> None:
    page = Client().get("/o/ask4/contact/complaint/?lang=en").content.decode()
    for label in (
        "Summary of the complaint",
        "Ticket or case references",
        "Names of ASK4 staff you spoke to",
        "Dates and times",
        "Phone numbers you called from",
        "Emails you sent us",
        "The complaint is about my personal data",
        "Attachments",
    ):
        assert label in page, label
    assert 'type="file"' in page
    assert "multiple" in page
    assert 'enctype="multipart/form-data"' in page


def test_a5_the_form_is_in_polish(ask4: Organization) -> None:
    page = Client().get("/o/ask4/contact/complaint/?lang=pl").content.decode()
    assert '<html lang="pl">' in page
    assert "Streszczenie skargi" in page
    assert "Nazwiska pracowników ASK4" in page


def test_e2_a_eurolux_complaint_asks_for_name_phone_employee_and_nature(
    eurolux: Organization,
) -> None:
    page = Client().get("/o/eurolux/contact/complaint/?lang=ru").content.decode()
    assert '<html lang="ru">' in page
    form = Client().get("/o/eurolux/contact/complaint/?lang=en").content.decode()
    for name in ("field_full_name", "field_phone", "field_employee", "field_nature"):
        assert f'name="{name}"' in form, name
    # the charter's own name and phone stand in for the form's usual ones
    assert 'name="name"' not in form
    assert 'name="phone"' not in form


def test_e2_a_eurolux_complaint_is_stored_with_its_fields(
    eurolux: Organization, client: Client
) -> None:
    data = {
        "field_full_name": "Aysel Məmmədova",
        "field_phone": "+994 12 404 00 00",
        "field_employee": "Rauf",
        "field_nature": "Холодильник доставили с вмятиной",
        "email": "aysel@example.az",
    }
    assert submit(client, eurolux, "complaint", data, lang="ru").status_code == 302
    case = Case.objects.get(organization=eurolux)
    assert case.fields == {
        "full_name": "Aysel Məmmədova",
        "phone": "+994 12 404 00 00",
        "employee": "Rauf",
        "nature": "Холодильник доставили с вмятиной",
    }
    assert case.language == "ru"
    assert case.contact is not None
    assert (case.contact.name, case.contact.phone) == ("Aysel Məmmədova", "+994 12 404 00 00")
    message = Message.objects.get(case=case, direction="in")
    assert message.body == "Холодильник доставили с вмятиной"


def test_a_submission_opens_a_case_on_the_web_form_channel(
    ask4: Organization, client: Client
) -> None:
    response = submit(client, ask4, "complaint", ASK4_COMPLAINT, lang="pl")
    assert response.status_code == 302
    case = Case.objects.get(organization=ask4)
    assert (case.channel, case.case_type, case.language) == ("web_form", "complaint", "pl")
    assert case.subject == "No internet"
    assert case.fields["summary"] == "Internet down for a week"
    assert case.fields["staff_names"] == "Tom at the help desk"
    assert case.fields["about_personal_data"] is False
    contact = case.contact
    assert contact is not None
    assert (contact.name, contact.email, contact.phone) == (
        "Jan Nowak",
        "jan@example.com",
        "+44 114 496 0000",
    )
    message = Message.objects.get(case=case, direction="in")
    assert (message.body, message.channel, message.author) == (
        "Please fix it.",
        "web_form",
        "Jan Nowak",
    )
    assert Event.objects.filter(case=case, kind="received").count() == 1
    assert Event.objects.filter(case=case, kind="acknowledged").count() == 1  # auto_acknowledge


def test_a5_the_summary_is_the_message_when_nothing_else_is_written(
    ask4: Organization, client: Client
) -> None:
    data = {"name": "Jan", "email": "jan@example.com", "field_summary": "No internet"}
    assert submit(client, ask4, "complaint", data).status_code == 302
    case = Case.objects.get(organization=ask4)
    assert case.fields == {"summary": "No internet", "about_personal_data": False}
    assert Message.objects.get(case=case, direction="in").body == "No internet"
    assert case.subject == "No internet"


def test_the_contact_is_found_again_by_organization_and_address(
    ask4: Organization, leviatan: Organization, client: Client
) -> None:
    submit(client, ask4, "complaint", ASK4_COMPLAINT)
    submit(client, ask4, "enquiry", {**ASK4_COMPLAINT, "email": "JAN@example.com"})
    submit(client, leviatan, "enquiry", ASK4_COMPLAINT)
    assert Contact.objects.filter(organization=ask4).count() == 1
    assert Contact.objects.filter(organization=leviatan).count() == 1
    assert Case.objects.filter(organization=ask4, contact__isnull=False).count() == 2


def test_the_acknowledgement_carries_the_tracking_link(ask4: Organization, client: Client) -> None:
    response = submit(client, ask4, "complaint", ASK4_COMPLAINT, lang="pl")
    case = Case.objects.get(organization=ask4)
    path = tracking_path(case)
    mail = case.outbox.get(kind="mail").payload
    assert mail["to"] == ["jan@example.com"]
    assert mail["language"] == "pl"
    assert "Potwierdzamy przyjęcie Twojej sprawy" in mail["body"]
    assert f"{SITE}{path}" in mail["body"]
    # the thank-you page: the reference and the same link
    assert response["Location"].startswith(path + "thanks/")
    thanks = client.get(response["Location"])
    page = thanks.content.decode()
    assert case.reference in page
    assert f"{SITE}{path}" in page
    assert thanks["Referrer-Policy"] == "strict-origin"


def test_the_token_is_stored_only_as_its_hash(ask4: Organization, client: Client) -> None:
    submit(client, ask4, "complaint", ASK4_COMPLAINT)
    case = Case.objects.get(organization=ask4)
    token = tracking_path(case).split("/")[2]
    access = CaseAccess.objects.get(case=case)
    assert access.token_hash == links.token_hash(token)
    assert token not in access.token_hash
    assert access.organization_id == case.organization_id
    # the case's own copy of the acknowledgement keeps the link without its token
    stored = Message.objects.get(case=case, direction="out")
    assert token not in stored.body
    assert "/track/…/" in stored.body


def test_validation_messages_are_in_the_forms_language(ask4: Organization) -> None:
    response = submit(Client(), ask4, "complaint", {"email": "not an address"}, lang="pl")
    assert response.status_code == 400
    page = response.content.decode()
    assert "To pole jest wymagane." in page  # Django's own Polish
    assert "Wprowadź poprawny adres email." in page
    assert not Case.objects.exists()
    russian = submit(Client(), install("eurolux"), "complaint", {}, lang="ru")
    assert "Обязательное поле." in russian.content.decode()


def test_a_date_field_is_stored_as_a_date(lt_pro: Organization, client: Client) -> None:
    data = {"name": "Ivan", "email": "ivan@example.ru", "field_exam_date": "2026-10-15"}
    data["message"] = "Запишите меня на экзамен"
    assert submit(client, lt_pro, "exam_registration", data, lang="ru").status_code == 302
    assert Case.objects.get(organization=lt_pro).fields == {
        "exam_date": "2026-10-15",
        "late_registration": False,
    }


def files(*pairs: tuple[str, bytes, str]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, data, content_type=kind) for name, data, kind in pairs]


def test_attachments_are_stored_under_generated_names(ask4: Organization, client: Client) -> None:
    data = {
        **ASK4_COMPLAINT,
        "attachments": files(
            ("bill.pdf", PDF, "application/pdf"), ("router.png", PNG, "image/png")
        ),
    }
    assert submit(client, ask4, "complaint", data).status_code == 302
    stored = Attachment.objects.order_by("filename")
    assert [(a.filename, a.content_type, a.size) for a in stored] == [
        ("bill.pdf", "application/pdf", len(PDF)),
        ("router.png", "image/png", len(PNG)),
    ]
    for attachment in stored:
        assert "bill" not in attachment.file.name
        assert "router" not in attachment.file.name
        attachment.file.delete(save=False)


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/octet-stream"), "is a program"),
        (("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf"), "is a program"),
        (("photo.jpg", PDF, "image/jpeg"), "is not a kind of file we accept"),
        (("tool.sh", b"#!/bin/sh\nrm -rf /\n", "text/plain"), "is a program"),
    ],
)
def test_a_spoofed_or_dangerous_file_is_refused_clearly(
    ask4: Organization, upload: tuple[str, bytes, str], words: str
) -> None:
    response = submit(Client(), ask4, "complaint", {**ASK4_COMPLAINT, "attachments": files(upload)})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"“{upload[0]}” {words}" in page
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()


def test_at_most_five_files(ask4: Organization) -> None:
    six = files(*[(f"note{i}.txt", b"some plain text\n", "text/plain") for i in range(6)])
    response = submit(Client(), ask4, "complaint", {**ASK4_COMPLAINT, "attachments": six})
    assert response.status_code == 400
    assert "Send at most 5 files." in response.content.decode()


def test_each_file_is_limited(ask4: Organization, settings: Any) -> None:
    settings.CHARTERDESK_MAX_ATTACHMENT_BYTES = 1000
    big = files(("scan.pdf", PDF + b"x" * 2000, "application/pdf"))
    response = submit(Client(), ask4, "complaint", {**ASK4_COMPLAINT, "attachments": big})
    assert response.status_code == 400
    assert "“scan.pdf” is larger than" in response.content.decode()


def test_files_together_are_limited(ask4: Organization, monkeypatch: pytest.MonkeyPatch) -> None:
    from charterdesk.portal import uploads

    monkeypatch.setattr(uploads, "MAX_TOTAL_BYTES", 3000)
    two = files(*[(f"scan{i}.pdf", PDF + b"x" * 2000, "application/pdf") for i in range(2)])
    response = submit(Client(), ask4, "complaint", {**ASK4_COMPLAINT, "attachments": two})
    assert response.status_code == 400
    assert "The files together may not exceed" in response.content.decode()


def test_a_huge_upload_is_refused_before_its_body_is_read(ask4: Organization) -> None:
    client = Client()
    response = client.post(
        "/o/ask4/contact/complaint/?lang=pl",
        ASK4_COMPLAINT,
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert response.status_code == 413
    assert '<html lang="pl">' in response.content.decode()
    assert not Case.objects.exists()


def test_the_form_needs_its_csrf_token(ask4: Organization) -> None:
    client = Client(enforce_csrf_checks=True)
    assert submit(client, ask4, "complaint", ASK4_COMPLAINT).status_code == 403
    page = client.get("/o/ask4/contact/complaint/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    token = client.cookies["csrftoken"].value
    data = {**ASK4_COMPLAINT, "csrfmiddlewaretoken": token}
    assert submit(client, ask4, "complaint", data).status_code == 302


def test_a_bot_filling_the_honeypot_sees_thanks_but_nothing_is_stored(
    ask4: Organization, caplog: pytest.LogCaptureFixture
) -> None:
    page = Client().get("/o/ask4/contact/complaint/").content.decode()
    assert 'class="hp" aria-hidden="true"' in page
    assert 'tabindex="-1"' in page
    with caplog.at_level(logging.WARNING, logger="charterdesk.portal"):
        response = submit(
            Client(), ask4, "complaint", {**ASK4_COMPLAINT, "website": "http://spam.example"}
        )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert not Case.objects.exists()
    assert not Contact.objects.exists()
    assert "honeypot" in caplog.text
    assert "jan@example.com" not in caplog.text


def test_submissions_are_limited_per_address(ask4: Organization) -> None:
    client = Client()
    for n in range(5):
        data = {**ASK4_COMPLAINT, "email": f"person{n}@example.com"}
        assert submit(client, ask4, "complaint", data).status_code == 302
    refused = submit(client, ask4, "complaint", ASK4_COMPLAINT)
    assert refused.status_code == 429
    assert Case.objects.count() == 5
    # another address is not held back by this one
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert submit(other, ask4, "complaint", ASK4_COMPLAINT).status_code == 302


def test_submissions_are_limited_per_email(ask4: Organization) -> None:
    for n in range(5):
        client = Client(REMOTE_ADDR=f"10.0.1.{n}")
        assert submit(client, ask4, "complaint", ASK4_COMPLAINT).status_code == 302
    refused = submit(Client(REMOTE_ADDR="10.0.2.1"), ask4, "complaint", ASK4_COMPLAINT)
    assert refused.status_code == 429
    assert Case.objects.count() == 5


def test_the_limit_resets_after_its_window(ask4: Organization, clock: Any) -> None:
    from datetime import timedelta

    client = Client()
    for n in range(5):
        submit(client, ask4, "complaint", {**ASK4_COMPLAINT, "email": f"p{n}@example.com"})
    assert submit(client, ask4, "complaint", ASK4_COMPLAINT).status_code == 429
    clock.now += timedelta(minutes=10)
    assert submit(client, ask4, "complaint", ASK4_COMPLAINT).status_code == 302


def test_what_customers_type_is_escaped(ask4: Organization, client: Client) -> None:
    xss = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = {**ASK4_COMPLAINT, "subject": xss, "message": xss, "name": xss}
    response = submit(client, ask4, "complaint", data)
    page = client.get(response["Location"].replace("thanks/", "")).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # and a refused form shows back what was typed, escaped
    again = submit(Client(), ask4, "complaint", {"subject": xss}).content.decode()
    assert "<script>alert" not in again


def test_the_form_works_without_javascript(ask4: Organization) -> None:
    page = Client().get("/o/ask4/contact/complaint/").content.decode()
    # one script, and only to suggest help articles as the customer types; the form posts
    # without it, and the help pages are a plain link
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/knowledge/suggest.js" data-url="/o/ask4/help/suggest"'
        ' data-lang="en" defer>'
    ]
    assert 'href="/o/ask4/help/?lang=en"' in page
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
