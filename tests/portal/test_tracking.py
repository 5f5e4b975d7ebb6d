"""The tracking page (E9): what was promised and by when, every step taken (E8), the
conversation, in the customer's language; opened only by its secret link."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from charterdesk.cases import actions
from charterdesk.cases.models import Case, Organization
from charterdesk.portal import links
from charterdesk.portal.models import CaseAccess
from tests.seeds import install

from .conftest import NOW


def test_e9_the_page_shows_the_status_and_what_was_promised(complaint: Any) -> None:
    case, path = complaint
    response = Client().get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="pl">' in page  # the case's language by default
    assert case.reference in page
    assert "Skarga" in page
    assert "No internet" in page
    # A8 is met (the acknowledgement went out), A9 runs from it
    assert 'data-commitment="complaint-receipt"' in page
    assert "Potwierdzenie przyjęcia skargi" in page
    assert "Otrzymasz wstępną odpowiedź potwierdzającą przyjęcie skargi" in page
    assert "Informacja o postępie" in page
    assert "W ciągu 3 dni roboczych" in page
    assert 'data-commitment="enquiry-reply"' not in page  # does not apply to complaints
    # A9: 3 working days from Wed 9 Sep: the close of Mon 14 Sep, 17:30 in London
    assert "14" in page
    assert "17:30" in page
    assert "Europe/London" in page


def test_e9_a_promise_shows_once_its_clock_starts(complaint: Any, agent: Any) -> None:
    case, path = complaint
    assert 'data-commitment="complaint-formal-response"' not in Client().get(path).content.decode()
    actions.reply(case, body="Update", now=NOW, actor=agent(case.organization), kind="update_sent")
    page = Client().get(path + "?lang=en").content.decode()
    assert 'data-commitment="complaint-formal-response"' in page  # A10 runs from A9's update
    assert "You will receive a formal response within 7 working days" in page


def test_e9_the_page_is_in_any_of_the_organizations_languages(complaint: Any) -> None:
    _, path = complaint
    page = Client().get(path + "?lang=en").content.decode()
    assert '<html lang="en">' in page
    assert "Complaint receipt confirmed" in page
    assert "Progress update" in page
    assert "Mon 14 Sep 2026, 17:30" in page
    assert 'href="?lang=pl"' in page
    assert 'href="?lang=en"' in page
    # a language the organization does not use falls back to the case's
    assert '<html lang="pl">' in Client().get(path + "?lang=az").content.decode()


def test_e9_sr_latn_pages(db: None, client: Client) -> None:
    org = install("anlp")
    data = {"name": "Milan", "email": "milan@example.rs", "message": "Pitanje o članarini"}
    response = client.post(f"/o/{org.slug}/contact/membership/?lang=sr-Latn", data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="sr-Latn">' in page
    # ANLP's web form does not acknowledge by mail: the thank-you page says to keep the link
    assert "Sačuvajte ovu vezu: ne šaljemo je e-poštom." in page  # in Serbian
    case = Case.objects.get(organization=org)
    assert case.language == "sr-Latn"


def test_e9_a_running_promise_past_its_time_shows_as_not_kept(complaint: Any, clock: Any) -> None:
    _, path = complaint
    clock.now = NOW + timedelta(days=10)
    page = Client().get(path + "?lang=en").content.decode()
    assert 'class="state breached">Not kept' in page


def test_e8_every_step_in_plain_words_but_no_internal_notes(
    complaint: Any, agent: Any, clock: Any
) -> None:
    case, path = complaint
    anna = agent(case.organization, "Anna", "Kowalska")
    later = NOW + timedelta(hours=2)
    clock.now = later
    actions.add_note(case, text="Customer is difficult, SECRET NOTE", now=later, actor=anna)
    actions.classify_cause(case, cause="router firmware", now=later, actor=anna)
    actions.reply(case, body="We are looking into it.", now=later, actor=anna, kind="update_sent")
    actions.resolve(
        case,
        result="Router replaced",
        steps=["Checked the line", "Sent an engineer"],
        now=later + timedelta(minutes=5),
        actor=anna,
    )
    clock.now = later + timedelta(minutes=10)
    page = Client().get(path + "?lang=en").content.decode()
    assert "We received your case" in page
    assert "We sent you a progress update" in page
    assert "We resolved your case" in page
    assert "Router replaced" in page
    assert "Checked the line" in page
    assert "Sent an engineer" in page
    assert "SECRET NOTE" not in page
    assert "router firmware" not in page
    assert "Kowalska" not in page  # staff by their first name only
    assert "Anna" in page
    assert "We are looking into it." in page  # the conversation
    assert 'class="status resolved"' in page


def test_a_hand_off_names_the_colleague_by_first_name(
    complaint: Any, agent: Any, clock: Any
) -> None:
    case, path = complaint
    anna = agent(case.organization, "Anna", "Kowalska")
    piotr = agent(case.organization, "Piotr", "Zieliński")
    actions.hand_off(case, to=piotr, new_date=NOW.date() + timedelta(days=3), now=NOW, actor=anna)
    page = Client().get(path + "?lang=en").content.decode()
    steps = page[page.index('id="steps-title"') :].split("</section>")[0]
    assert "Your case was passed to a colleague" in steps
    assert "Piotr" in steps
    assert "Zieliński" not in steps  # the step names a first name (the mail sent said more)


def test_the_conversation_shows_messages_in_and_out(complaint: Any) -> None:
    _case, path = complaint
    page = Client().get(path + "?lang=en").content.decode()
    assert page.index("Please fix it.") < page.index("Potwierdzamy przyjęcie")
    assert "/track/…/" in page  # the acknowledgement as stored: its link without the token


def test_a_wrong_expired_revoked_or_foreign_link_is_the_same_404(
    complaint: Any, clock: Any
) -> None:
    case, path = complaint
    client = Client()
    wrong = client.get("/track/" + "A" * 43 + "/")
    malformed = client.get("/track/short/")
    assert wrong.status_code == malformed.status_code == 404

    expired_token = links.new_token()
    links.grant(case, expired_token, NOW)
    CaseAccess.objects.filter(token_hash=links.token_hash(expired_token)).update(
        expires_at=NOW - timedelta(seconds=1)
    )
    expired = client.get(f"/track/{expired_token}/")

    revoked_token = links.new_token()
    links.grant(case, revoked_token, NOW)
    CaseAccess.objects.filter(token_hash=links.token_hash(revoked_token)).update(revoked=True)
    revoked = client.get(f"/track/{revoked_token}/")

    other = install("leviatan")
    foreign_token = links.new_token()
    CaseAccess.objects.create(
        organization=other, case=case, token_hash=links.token_hash(foreign_token), created_at=NOW
    )
    foreign = client.get(f"/track/{foreign_token}/")

    bodies = {r.content for r in (wrong, malformed, expired, revoked, foreign)}
    statuses = {r.status_code for r in (wrong, malformed, expired, revoked, foreign)}
    assert statuses == {404}
    assert len(bodies) == 1
    assert client.get(path).status_code == 200  # the real link still works


def test_every_token_route_is_closed_to_a_wrong_link(complaint: Any) -> None:
    client = Client()
    bad = "B" * 43
    assert client.get(f"/track/{bad}/thanks/").status_code == 404
    assert client.get(f"/track/{bad}/files/1/").status_code == 404
    assert client.post(f"/track/{bad}/reply/", {"body": "hello"}).status_code == 404


def test_a_burst_of_wrong_links_is_refused(complaint: Any, clock: Any) -> None:
    _, path = complaint
    client = Client()
    for _n in range(10):
        assert client.get(f"/track/{links.new_token()}/").status_code == 404
    refused = client.get(f"/track/{links.new_token()}/")
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert client.get(path).status_code == 429  # right links too, for a while
    assert Client(REMOTE_ADDR="10.1.1.1").get(path).status_code == 200
    clock.now = NOW + timedelta(minutes=11)
    assert client.get(path).status_code == 200


def test_portal_pages_send_no_path_as_referrer_and_are_not_cached(complaint: Any) -> None:
    _, path = complaint
    response = Client().get(path)
    assert response["Referrer-Policy"] == "strict-origin"  # the origin at most, never the path
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="referrer" content="strict-origin">' in response.content.decode()
    assert Client().get("/track/" + "C" * 43 + "/")["Referrer-Policy"] == "strict-origin"


def test_tokens_never_reach_the_logs(complaint: Any, caplog: pytest.LogCaptureFixture) -> None:
    _, path = complaint
    token = path.split("/")[2]
    wrong = links.new_token()
    with caplog.at_level(logging.INFO):
        Client().get(f"/track/{wrong}/")  # Django logs "Not Found: <path>"
        Client().post(f"{path}nothing/", {})
        logging.getLogger("django.server").info('"%s" %s %s', f"GET {path} HTTP/1.1", "200", "12")
    assert "/track/[hidden]" in caplog.text
    assert wrong not in caplog.text
    assert token not in caplog.text


def test_only_the_charter_s_escalation_route_is_shown_when_it_says(
    complaint: Any, agent: Any, clock: Any
) -> None:
    case, path = complaint
    page = Client().get(path + "?lang=en").content.decode()
    assert "Ombudsman Services" not in page  # A12: after the final response
    assert "Information Commissioner" not in page  # A6: only on personal data
    anna = agent(case.organization)
    actions.reply(
        case, body="Our formal response.", now=NOW, actor=anna, kind="formal_response_sent"
    )
    page = Client().get(path + "?lang=en").content.decode()
    assert "Ombudsman Services: Communications" in page
    assert "https://www.ombudsman-services.org/sectors/communications" in page
    assert "we follow its decision" in page
    assert 'rel="noreferrer noopener"' in page
    assert "Information Commissioner" not in page


def test_a6_the_regulator_for_a_personal_data_complaint_at_any_time(
    ask4: Organization, client: Client
) -> None:
    from .conftest import ASK4_COMPLAINT, submit, tracking_path

    data = {**ASK4_COMPLAINT, "field_about_personal_data": "on"}
    submit(client, ask4, "complaint", data)
    case = Case.objects.get(organization=ask4)
    assert case.fields["about_personal_data"] is True
    page = client.get(tracking_path(case) + "?lang=en").content.decode()
    assert "Information Commissioner&#x27;s Office (ICO)" in page
    assert "https://ico.org.uk/make-a-complaint/" in page
    pl = client.get(tracking_path(case) + "?lang=pl").content.decode()
    assert "Biuro Komisarza ds. Informacji (ICO)" in pl


def test_what_staff_and_customers_write_is_escaped(complaint: Any, agent: Any) -> None:
    case, path = complaint
    xss = "<script>alert(1)</script>"
    actions.reply(case, body=xss, now=NOW, actor=agent(case.organization))
    page = Client().get(path).content.decode()
    assert xss not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
