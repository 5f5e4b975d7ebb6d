"""Customers' names, addresses and phone numbers as people who write in each language
have them. Addresses are on reserved domains (``.example``, example.com): nothing
the demo queues can reach a real person."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

# Surnames with a feminine form are written "masculine/feminine".
_NAMES: dict[str, tuple[str, str, str]] = {
    "en": (
        "James Oliver Harry George Jack Thomas William Daniel Samuel Joseph David Michael "
        "Benjamin Matthew Andrew Peter Richard Mark Paul Chris",
        "Olivia Emily Amelia Sophie Charlotte Jessica Grace Hannah Lucy Ella Chloe Emma "
        "Sarah Laura Rachel Rebecca Helen Claire Alice Megan",
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
        "Evans Walker White Roberts Green Hall Wood Jackson Clarke Hughes Edwards Turner",
    ),
    "ro": (
        "Andrei Alexandru Mihai Ion Cristian Gabriel Florin Bogdan Adrian Vlad Ștefan "
        "Răzvan Cătălin Marius Dan Sorin Lucian Tudor Ovidiu Paul",
        "Maria Elena Ioana Ana Andreea Cristina Mihaela Alexandra Irina Diana Raluca "
        "Roxana Simona Gabriela Oana Carmen Alina Bianca Corina Teodora",
        "Popescu Ionescu Popa Pop Radu Dumitru Stoica Stan Gheorghe Matei Ciobanu Rusu "
        "Munteanu Constantin Marin Dinu Tudor Lungu Georgescu Dobre Moldovan Barbu Neagu",
    ),
    "pl": (
        "Jan Piotr Krzysztof Andrzej Tomasz Paweł Michał Marcin Jakub Mateusz Łukasz "
        "Grzegorz Adam Marek Wojciech Kamil Rafał Bartosz Szymon Dariusz",
        "Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Magdalena Joanna Aleksandra "
        "Monika Natalia Zofia Karolina Paulina Justyna Marta Beata Dorota Agata",
        "Nowak Kowalski/Kowalska Wiśniewski/Wiśniewska Wójcik Kowalczyk Kamiński/Kamińska "
        "Lewandowski/Lewandowska Zieliński/Zielińska Szymański/Szymańska Woźniak "
        "Dąbrowski/Dąbrowska Kozłowski/Kozłowska Jankowski/Jankowska Mazur Krawczyk "
        "Piotrowski/Piotrowska Grabowski/Grabowska Pawłowski/Pawłowska Michalski/Michalska "
        "Król Wieczorek Jabłoński/Jabłońska Wróbel Zając",
    ),
    "ru": (
        "Александр Дмитрий Максим Сергей Андрей Алексей Артём Илья Кирилл Михаил Никита "
        "Иван Павел Роман Владимир Егор Николай Олег Юрий Константин",
        "Анастасия Мария Анна Виктория Екатерина Наталья Ольга Елена Татьяна Ирина Юлия "
        "Дарья Полина Светлана Ксения Алина Вера Людмила Марина Софья",
        "Иванов/Иванова Смирнов/Смирнова Кузнецов/Кузнецова Попов/Попова Васильев/Васильева "
        "Петров/Петрова Соколов/Соколова Михайлов/Михайлова Новиков/Новикова "
        "Фёдоров/Фёдорова Морозов/Морозова Волков/Волкова Алексеев/Алексеева "
        "Лебедев/Лебедева Семёнов/Семёнова Егоров/Егорова Павлов/Павлова Козлов/Козлова "
        "Степанов/Степанова Николаев/Николаева Орлов/Орлова Андреев/Андреева",
    ),
    # Azerbaijani names as Russian-speaking customers in Baku write them.
    "ru-AZ": (
        "Рашад Эльчин Турал Орхан Самир Фарид Ильгар Анар Вугар Рамиль Эмиль Кенан",
        "Айтен Лейла Севиндж Гюнель Нармин Айгюн Ульвия Севиль Камила Наргиз Айнур Фидан",
        "Алиев/Алиева Мамедов/Мамедова Гусейнов/Гусейнова Гасанов/Гасанова "
        "Исмайлов/Исмайлова Кулиев/Кулиева Ахмедов/Ахмедова Бабаев/Бабаева "
        "Джафаров/Джафарова Рзаев/Рзаева Садыхов/Садыхова Аббасов/Аббасова",
    ),
    "az": (
        "Rəşad Elçin Tural Orxan Samir Fərid İlqar Anar Vüqar Ramil Emil Kənan Elnur Ceyhun "
        "Nicat Murad Ruslan Fuad Kamran Tofiq",
        "Aytən Leyla Sevinc Günel Nərmin Aygün Ülviyyə Sevil Kamilə Nərgiz Aynur Fidan "
        "Lalə Gülnar Səbinə Türkan Zəhra Şəbnəm Ayşən Könül",
        "Əliyev/Əliyeva Məmmədov/Məmmədova Hüseynov/Hüseynova Həsənov/Həsənova "
        "İsmayılov/İsmayılova Quliyev/Quliyeva Əhmədov/Əhmədova Babayev/Babayeva "
        "Cəfərov/Cəfərova Rzayev/Rzayeva Sadıqov/Sadıqova Abbasov/Abbasova "
        "Nəsirli Vəliyev/Vəliyeva Kərimov/Kərimova İbrahimov/İbrahimova Rəhimli",
    ),
    "sr-Latn": (
        "Marko Nikola Stefan Luka Milan Aleksandar Nemanja Dušan Miloš Vladimir Dragan "
        "Petar Jovan Uroš Filip Đorđe Zoran Bojan Ivan Vuk",
        "Milica Jelena Ana Marija Jovana Ivana Teodora Sara Katarina Dragana Snežana "
        "Tijana Maja Nevena Kristina Ljiljana Gordana Mina Sofija Tamara",
        "Jovanović Petrović Nikolić Marković Đorđević Stojanović Ilić Stanković Pavlović "
        "Milošević Popović Todorović Kostić Živković Ristić Mitrović Lazić Savić Tomić "
        "Radovanović Vasić Obradović",
    ),
}

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),  # noqa: SIM905
        strict=True,
    )
)
_LATIN = {"ł": "l", "ə": "e", "ı": "i", "đ": "dj", "ß": "ss"}
_DOMAINS: dict[str, tuple[str, ...]] = {
    "en": ("example.com", "example.org", "mail.example"),
    "ro": ("example.com", "posta.example", "mail.example"),
    "pl": ("example.com", "poczta.example", "wp.example"),
    "ru": ("example.com", "yandex.example", "mail.example"),
    "ru-AZ": ("example.com", "mail.example", "box.example"),
    "az": ("example.com", "mail.example", "box.example"),
    "sr-Latn": ("example.com", "posta.example", "eunet.example"),
}
#: Mobile numbers by country: a pattern, filled with random digits.
_PHONES = {
    "RO": "+40 7## ### ###",
    "GB": "+44 7### ######",
    "RU": "+7 9## ###-##-##",
    "AZ": "+994 5# ###-##-##",
    "RS": "+381 6# ### ####",
}


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    first: str
    email: str
    phone: str


def person(rng: random.Random, pool: str, country: str) -> Person:
    """A customer whose name fits ``pool`` (a language, or "ru-AZ")."""
    men, women, surnames = (part.split() for part in _NAMES.get(pool, _NAMES["en"]))
    woman = rng.random() < 0.5
    first = rng.choice(women if woman else men)
    surname = rng.choice(surnames)
    if "/" in surname:
        surname = surname.split("/")[1 if woman else 0]
    local = f"{ascii_of(first)}.{ascii_of(surname)}"
    domain = rng.choice(_DOMAINS.get(pool, _DOMAINS["en"]))
    if rng.random() < 0.4:
        local += str(rng.randint(1, 99))
    return Person(
        name=f"{first} {surname}",
        first=first,
        email=f"{local}@{domain}",
        phone=phone(rng, country),
    )


def phone(rng: random.Random, country: str) -> str:
    pattern = _PHONES.get(country, _PHONES["GB"])
    return "".join(str(rng.randint(0, 9)) if c == "#" else c for c in pattern)


def ascii_of(text: str) -> str:
    """'Wiśniewska' -> 'wisniewska', 'Кузнецов' -> 'kuznetsov', 'Əliyev' -> 'eliyev'."""
    out = []
    for char in text.lower():
        char = _CYRILLIC.get(char, _LATIN.get(char, char))
        out.append(char.replace("_", ""))
    plain = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in plain if c.isascii() and (c.isalnum() or c == "-"))
