"""The charter checks: references, applicability, chains, and texts against rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from charterdesk.core.charter_source import read_charter
from charterdesk.core.problems import CharterError

CHARTERS = Path(__file__).parents[2] / "charters"


def seed(name: str) -> str:
    return (CHARTERS / f"{name}.yaml").read_text(encoding="utf-8")


def errors(text: str, source: str = "c.yaml") -> list[tuple[str, str]]:
    with pytest.raises(CharterError) as caught:
        read_charter(text, source)
    return [(p.code, str(p)) for p in caught.value.problems]


def codes(text: str) -> list[str]:
    return [code for code, _ in errors(text)]


def test_eurolux_five_three_contradiction_is_caught_and_both_places_named() -> None:
    """E4: the published document says "5 (Трех)" working days here and 3 there."""
    text = seed("eurolux").replace(
        "ru: Регистрация жалобы подтверждается в течение 3 рабочих дней.",
        "ru: Регистрация жалобы подтверждается в течение 5 (Трех) рабочих дней.",
    )
    lines = text.splitlines()
    bad = next(i for i, line in enumerate(lines, 1) if "ru: Регистрация жалобы" in line)
    other = next(
        i for i, line in enumerate(lines, 1) if "жалоба регистрируется в течение 3" in line
    )
    rule = next(i for i, line in enumerate(lines, 1) if "within: 3 working days" in line)
    [(code, message)] = errors(text, "eurolux.yaml")
    assert code == "text-contradicts-itself"
    assert message.startswith(f"eurolux.yaml:{bad}:")
    assert "'5 (Трех) рабочих дней', which states 5 and 3 at once" in message
    assert f"eurolux.yaml:{other}:" in message
    assert f"eurolux.yaml:{rule}:" in message


def test_text_that_disagrees_with_its_rule() -> None:
    text = seed("ask4").replace("within: 3 working days", "within: 5 working days", 1)
    found = errors(text)
    assert [code for code, _ in found] == ["text-contradicts-rule", "text-contradicts-rule"]
    assert "the pl text says '3 dni roboczych', but the rule at c.yaml:" in found[0][1]
    assert "says 5 working days" in found[0][1]


def test_working_days_are_not_calendar_days() -> None:
    text = seed("lt-pro").replace("within: 2 days", "within: 2 working days")
    assert codes(text) == ["text-contradicts-rule", "text-contradicts-rule"]


def test_48_hours_agrees_with_two_days_of_elapsed_time() -> None:
    text = seed("leviatan").replace("within: 48 hours", "within: 2 days")
    assert read_charter(text).charter.commitment("email-acknowledged").within == "2 days"


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("    starts: first acknowledged\n", "    starts: first acknowledgd\n", "unknown-event"),
        (
            "    met_by: [update_sent]\n",
            "    met_by: [update_sent]\n    calendar: shop\n",
            "unknown-calendar",
        ),
        (
            "applies: {case_types: [complaint]}\n    starts: received",
            "applies: {case_types: [complain]}\n    starts: received",
            "unknown-case-type",
        ),
        (
            "    accepts: [enquiry]\n    redirect_to: web_form\n  phone:",
            "    accepts: [enquiry]\n    redirect_to: fax\n  phone:",
            "unknown-channel",
        ),
        (
            "    within: 24 hours\n",
            "    within: 24 hours\n    pause_while: [on_holiday]\n",
            "unknown-state",
        ),
        (
            "on_breach: [{escalate: supervisor}]\n    text:\n      pl: W ciągu",
            "on_breach: [{notify_customer: sorry}]\n    text:\n      pl: W ciągu",
            "unknown-text",
        ),
    ],
)
def test_unknown_names(old: str, new: str, code: str) -> None:
    text = seed("ask4")
    assert old in text
    assert codes(text.replace(old, new, 1)) == [code]


def test_commitment_that_can_never_apply() -> None:
    """A7: ASK4 takes complaints only by form and letter, so a phone-complaint rule is dead."""
    text = seed("ask4").replace(
        "applies: {case_types: [complaint]}\n    starts: received",
        "applies: {case_types: [complaint], channels: [phone]}\n    starts: received",
    )
    found = errors(text)
    assert found[0][0] == "never-applies"
    assert "complaint-receipt can never apply" in found[0][1]


def test_chain_that_can_never_start() -> None:
    # A9 is met by update_sent; if A9 only applied to enquiries, A10 (complaints) never starts
    text = seed("ask4").replace(
        "applies: {case_types: [complaint]}\n    starts: first acknowledged",
        "applies: {case_types: [enquiry]}\n    starts: first acknowledged",
    )
    found = errors(text)
    assert {code for code, _ in found} == {"chain-never-starts"}
    # A9 (now for enquiries) waits for an acknowledgement promised only to complaints,
    # and A10 (complaints) waits for an update promised only to enquiries
    assert "complaint-progress-update starts on 'acknowledged'" in found[0][1]
    assert "complaint-formal-response starts on 'update_sent'" in found[1][1]


def test_out_of_hours_rule_on_a_round_the_clock_calendar_never_applies() -> None:
    week = "\n".join(
        f'      {d}: ["00:00-24:00"]' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    )
    text = seed("anlp")
    start = text.index("    week:\n") + len("    week:\n")
    end = text.index("\ncase_types:")
    text = text[:start] + week + "\n    holidays: null\n" + text[end:]
    assert "never-applies" in codes(text)


def test_date_field_that_the_case_type_lacks() -> None:
    text = seed("lt-pro").replace("starts: {before: exam_date}", "starts: {before: exam_day}")
    assert codes(text) == ["unknown-field"]


def test_deadline_before_a_date_must_count_working_days() -> None:
    text = seed("lt-pro").replace(
        "within: 5 working days\n    warn: 2 working days", "within: 120 hours\n    warn: 1 day"
    )
    assert "duration-kind" in codes(text)


def test_escalation_to_a_role_not_on_the_ladder() -> None:
    text = seed("ask4").replace(
        "  - {role: supervisor, title: {pl: Kierownik zespołu, en: Team leader}}\n", ""
    )
    assert set(codes(text)) == {"unknown-role"}


def test_unknown_country_for_holidays() -> None:
    text = seed("ask4").replace("  country: GB\n", "  country: XX\n")
    assert codes(text) == ["bad-calendar"]


def test_duplicate_commitment_id() -> None:
    text = seed("ask4").replace("  - id: enquiry-reply", "  - id: complaint-receipt")
    assert codes(text) == ["duplicate-id"]


def test_missing_translation_is_a_warning() -> None:
    text = seed("ask4").replace(
        "    title: {pl: Zapytanie, en: Enquiry}", "    title: {pl: Zapytanie}"
    )
    loaded = read_charter(text, "c.yaml")
    [warning] = loaded.warnings
    assert (warning.severity, warning.code) == ("warning", "missing-translation")
    assert (
        str(warning)
        == "c.yaml:35:12 warning [missing-translation] case_types.enquiry.title: no en text"
    )
