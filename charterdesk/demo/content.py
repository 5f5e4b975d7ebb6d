"""What the demo's customers and staff write, read from ``content/*.yaml``: one file per
organization (its mix of languages, channels and case types, and what customers write
about) and ``phrases.yaml`` (what is said in every case, per language)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

CONTENT = Path(__file__).parent / "content"


@dataclass(frozen=True, slots=True)
class TopicText:
    """One thing a customer writes about, in one language, and how it ends."""

    subject: str
    body: str
    result: str
    steps: tuple[str, ...]
    articles: str = ""  # a support page that answers it (N4)
    personal_data: bool = False  # A6
    cause: str = ""  # what a complaint about it usually comes down to (L13)


@dataclass(frozen=True, slots=True)
class Topic:
    case_types: tuple[str, ...]
    texts: dict[str, TopicText]  # by language


@dataclass(frozen=True, slots=True)
class OrgContent:
    languages: dict[str, float]  # language -> share of cases
    channels: dict[str, float]
    case_types: dict[str, float]
    topics: tuple[Topic, ...]

    def topic(self, rng: random.Random, case_type: str, language: str) -> TopicText | None:
        fitting = [t for t in self.topics if case_type in t.case_types and language in t.texts]
        return rng.choice(fitting).texts[language] if fitting else None


def _read(name: str) -> Any:
    return YAML(typ="safe", pure=True).load((CONTENT / name).read_text(encoding="utf-8"))


@cache
def org_content(slug: str) -> OrgContent | None:
    """The organization's demo content, or None for an organization the demo does not know."""
    if not (CONTENT / f"{slug}.yaml").exists():
        return None
    data = _read(f"{slug}.yaml")
    topics = tuple(
        Topic(
            case_types=tuple(item["types"]),
            texts={
                language: TopicText(
                    subject=text["subject"],
                    body=text["body"],
                    result=text["result"],
                    steps=tuple(text["steps"]),
                    articles=text.get("articles", ""),
                    personal_data=bool(text.get("personal_data", False)),
                    cause=item.get("cause", ""),
                )
                for language, text in item.items()
                if language not in ("types", "cause")
            },
        )
        for item in data["topics"]
    )
    return OrgContent(
        languages=dict(data["languages"]),
        channels=dict(data["channels"]),
        case_types=dict(data["case_types"]),
        topics=topics,
    )


@cache
def _phrases() -> dict[str, Any]:
    data: dict[str, Any] = _read("phrases.yaml")
    return data


def phrases(language: str) -> dict[str, Any]:
    """Everyday phrases in ``language`` (in English where the demo has none in it)."""
    table = _phrases()
    return {**table["en"], **table.get(language, {})}


def causes() -> tuple[str, ...]:
    return tuple(_phrases()["causes"])


def pick(rng: random.Random, weights: dict[str, float], allowed: set[str] | None = None) -> str:
    """A key of ``weights`` drawn by weight, among ``allowed`` if given."""
    keys = [key for key in weights if allowed is None or key in allowed]
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]
