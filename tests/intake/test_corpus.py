"""Issue 5: every mail of the corpus becomes a case, a message, a duplicate, a bounce or a
recorded rejection, and receiving the corpus again writes nothing new."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from charterdesk.cases.models import Case, Message, Organization
from charterdesk.intake.models import Bounce, RejectedMail
from charterdesk.intake.receive import receive

from .conftest import CORPUS, NOW, corpus_files

#: file -> (kind, code) on the first pass, received in file order after the earlier cases.
EXPECTED = {
    "01-ru-windows-1251.eml": ("case", "opened"),
    "02-ru-koi8-r.eml": ("case", "opened"),
    "03-pl-iso-8859-2.eml": ("case", "opened"),
    "04-az-utf8.eml": ("case", "opened"),
    "05-sr-latn-utf8.eml": ("case", "opened"),
    "06-ro-diacritics.eml": ("case", "opened"),
    "07-undeclared-8bit.eml": ("case", "opened"),
    "08-unknown-charset.eml": ("case", "opened"),
    "09-rfc2047-and-2231-filenames.eml": ("case", "opened"),
    "10-missing-boundary.eml": ("case", "opened"),
    "11-broken-base64.eml": ("case", "opened"),
    "12-bad-headers.eml": ("case", "opened"),
    "13-no-message-id.eml": ("case", "opened"),
    "14-no-from.eml": ("case", "opened"),
    "15-html-only-scripts-remote-images.eml": ("case", "opened"),
    "16-gmail-alternative-inline-image.eml": ("case", "opened"),
    "17-attachment-pdf.eml": ("case", "opened"),
    "18-attachment-image.eml": ("case", "opened"),
    "19-spoofed-exe-named-pdf.eml": ("case", "opened"),
    "20-attachment-over-limit.eml": ("case", "opened"),
    "21-message-over-limit.eml": ("rejected", "too-large"),
    "22-out-of-office-threaded.eml": ("message", "automatic-reply"),
    "23-precedence-bulk-newsletter.eml": ("rejected", "auto-reply"),
    "24-precedence-list.eml": ("rejected", "auto-reply"),
    "25-x-loop-naming-us.eml": ("rejected", "auto-reply"),
    "26-x-autoreply-subject-reference.eml": ("message", "automatic-reply"),
    "27-null-sender-notice.eml": ("rejected", "auto-reply"),
    "28-bounce-rfc3464.eml": ("bounce", "bounce"),
    "29-bounce-of-no-mail-of-ours.eml": ("rejected", "unmatched-bounce"),
    "30-own-mail-back.eml": ("rejected", "own-mail"),
    "31-own-header.eml": ("rejected", "own-mail"),
    "32-reply-by-in-reply-to.eml": ("message", "threaded"),
    "33-reply-by-references.eml": ("message", "threaded"),
    "34-reply-by-subject-reference.eml": ("message", "threaded"),
    "35-reply-by-plus-tag.eml": ("message", "threaded"),
    "36-reply-with-another-orgs-reference.eml": ("case", "opened"),
    "37-reply-outlook-ru-koi8.eml": ("message", "threaded"),
    "38-unknown-recipient.eml": ("rejected", "unknown-recipient"),
    "39-delivered-to-routing.eml": ("case", "opened"),
    "40-cc-routing-mixed-case.eml": ("case", "opened"),
    "41-redelivered-duplicate.eml": ("duplicate", "duplicate"),
    "42-flood-1.eml": ("case", "opened"),
    "42-flood-2.eml": ("case", "opened"),
    "42-flood-3.eml": ("case", "opened"),
    "42-flood-4.eml": ("case", "opened"),
}


def corpus_limits(settings: Any) -> None:
    """Limits small enough for files that fit in a repository: 20 and 21 exceed them."""
    settings.CHARTERDESK_MAX_ATTACHMENT_BYTES = 64 * 1024
    settings.CHARTERDESK_MAX_MESSAGE_BYTES = 256 * 1024


def test_the_corpus_is_the_one_described() -> None:
    assert [path.name for path in corpus_files()] == sorted(EXPECTED)


def test_every_mail_of_the_corpus_ends_somewhere_and_twice_writes_nothing(
    history: dict[str, Case], settings: Any
) -> None:
    corpus_limits(settings)
    first = {
        path.name: receive(path.read_bytes(), now=NOW, source="test") for path in corpus_files()
    }
    assert {name: (o.kind, o.code) for name, o in first.items()} == EXPECTED
    counts = Counter(outcome.kind for outcome in first.values())
    print("\ncorpus, first pass:", dict(sorted(counts.items())), f"({len(first)} mails)")
    rows = (Case.objects.count(), Message.objects.count(), Bounce.objects.count())
    rejected = RejectedMail.objects.count()
    assert rejected == counts["rejected"]

    second = {
        path.name: receive(path.read_bytes(), now=NOW, source="test") for path in corpus_files()
    }
    again = Counter(outcome.kind for outcome in second.values())
    print("corpus, second pass:", dict(sorted(again.items())))
    for name, outcome in second.items():
        if first[name].kind == "rejected":
            assert (outcome.kind, outcome.code) == (first[name].kind, first[name].code), name
        else:
            assert outcome.kind == "duplicate", name
    assert (Case.objects.count(), Message.objects.count(), Bounce.objects.count()) == rows
    assert RejectedMail.objects.count() == rejected


@pytest.mark.parametrize(
    ("name", "phrase", "language"),
    [
        ("01-ru-windows-1251.eml", "Я записался на экзамен 5 марта", "ru"),
        ("02-ru-koi8-r.eml", "Купил холодильник в вашем магазине", "ru"),
        ("03-pl-iso-8859-2.eml", "od tygodnia nie działa mi internet", "pl"),
        ("04-az-utf8.eml", "Xahiş edirəm, sifarişimin vəziyyəti", "az"),
        ("05-sr-latn-utf8.eml", "želeo bih da postanem član udruženja", "sr-Latn"),
        ("06-ro-diacritics.eml", "ați facturat două ședințe", "ro"),
        ("07-undeclared-8bit.eml", "Когда будут готовы сертификаты", "ru"),
        ("08-unknown-charset.eml", "Нужна справка о сдаче экзамена", "ru"),
    ],
)
def test_every_charset_reads_as_words(
    orgs: dict[str, Organization], name: str, phrase: str, language: str
) -> None:
    outcome = receive((CORPUS / name).read_bytes(), now=NOW)
    case = Case.objects.get(reference=outcome.case_reference)
    assert phrase in Message.objects.get(case=case, direction="in").body
    assert case.language == language
    assert "\ufffd" not in case.subject
