"""What is new in a reply and what is quoted history, in our customers' languages."""

from __future__ import annotations

import pytest

from charterdesk.intake.quoted import split_quoted

CASES = [
    (  # Gmail, English
        "Thanks, that works.\n\nOn Mon, 2 Mar 2026 at 10:00, Leviatan <contact@leviatan.ro> "
        "wrote:\n> Your reference is LEV-2026-000001.",
        "Thanks, that works.",
    ),
    (  # an attribution wrapped over two lines
        "Hvala.\nOn Mon, 2 Mar 2026 at 10:00, ANLP <admin@anlp.org>\nwrote:\n> x",
        "Hvala.",
    ),
    (  # Thunderbird, Polish
        "Dziękuję.\n\nW dniu 2.03.2026 o 10:00, ASK4 <support@ask4.com> napisał(a):\n> Cześć",
        "Dziękuję.",
    ),
    (  # Yandex, Russian: the attribution ends with the address
        'Спасибо!\n\n02.03.2026, 10:00, "LT-PRO" <info@lt-pro.ru>:\n> текст',
        "Спасибо!",
    ),
    ("Спасибо!\n\nИван Петров пишет:\n> текст", "Спасибо!"),
    ("Hvala!\n\nDana 2. 3. 2026. u 10:00, ANLP je napisao(la):\n> tekst", "Hvala!"),
    (  # Gmail, Romanian
        "Mulțumesc.\n\nÎn lun., 2 mar. 2026 la 11:00, Leviatan <contact@leviatan.ro> a scris:\n"
        "> Vă mulțumim",
        "Mulțumesc.",
    ),
    (
        "Çox sağ olun.\n\n2 mart 2026, 10:00 tarixində Eurolux <customer.care@eurolux.az> "
        "yazdı:\n> mətn",
        "Çox sağ olun.",
    ),
    ("Hi\n-----Original Message-----\nFrom: x\nSent: y", "Hi"),
    ("Привет\n-----Исходное сообщение-----\nОт: x", "Привет"),
    (  # Outlook, Romanian, with the line of underscores
        "Mulțumesc\n________________________________\nDe la: Leviatan <contact@leviatan.ro>\n"
        "Trimis: luni, 2 martie 2026 10:00\nCătre: Ion Popescu\nSubiect: Comanda\n\ntext",
        "Mulțumesc",
    ),
    (  # Outlook, Polish
        "Dziękuję\n\nOd: ASK4 <support@ask4.com>\nWysłano: poniedziałek, 2 marca 2026\n"
        "Do: Jan\nTemat: Faktura\n\ntekst",
        "Dziękuję",
    ),
    (  # Outlook, Russian
        "Спасибо\n\nОт: LT-PRO <info@lt-pro.ru>\nОтправлено: 2 марта 2026 г. 10:00\n"
        "Кому: Иван\nТема: Экзамен\n\nтекст",
        "Спасибо",
    ),
    (  # Outlook, Azerbaijani
        "Təşəkkür\n\nKimdən: Eurolux <customer.care@eurolux.az>\nGöndərilib: 2 mart 2026\n"
        "Kimə: Aysel\nMövzu: Sifariş\n\nmətn",
        "Təşəkkür",
    ),
]


@pytest.mark.parametrize(("text", "new"), CASES)
def test_history_is_told_apart(text: str, new: str) -> None:
    found_new, quoted = split_quoted(text)
    assert found_new == new
    assert quoted
    assert text.startswith(found_new)
    assert text.endswith(quoted)


@pytest.mark.parametrize(
    "text",
    [
        "Just a message, nothing quoted.",
        "Answers between the quotes are new:\n> question 1?\nyes\n> question 2?\nno",
        "A signature is not history.\n-- \nJan Kowalski",
        "From: the shop, I bought a fridge.\nIt does not work.",  # one "From:" is not a block
        "I wrote: the fridge does not work.",
    ],
)
def test_text_without_history_is_all_new(text: str) -> None:
    assert split_quoted(text) == (text, "")


def test_trailing_quotes_after_the_new_text_are_history() -> None:
    assert split_quoted("Yes.\n\n> Will you come?\n> Ana") == ("Yes.", "> Will you come?\n> Ana")
