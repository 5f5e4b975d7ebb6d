"""Fixtures every test package shares: the seed organizations installed from charters/
(``ask4``, ``leviatan``, ``lt_pro``, ``eurolux``, ``anlp``), ``member`` (staff with a
role) and ``media`` (attachments in a temporary folder; a package whose tests all store
files makes it autouse in its own conftest).

A package whose tests need something else defines a fixture of the same name in its own
conftest, which takes precedence there (tests/promises: the charters as the pure core
reads them, never installed). Plain helpers (``utc``...) are in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from charterdesk.cases.models import Membership, Organization
from tests.seeds import install


def seed_organization(charter: str) -> Any:
    """A fixture: the seed organization of ``charters/<charter>.yaml``, installed with its
    charter approved (tests/seeds.py), named as the charter is with "_" for "-"."""

    @pytest.fixture(name=charter.replace("-", "_"))
    def organization(db: None) -> Organization:
        return install(charter)

    return organization


ask4 = seed_organization("ask4")
leviatan = seed_organization("leviatan")
lt_pro = seed_organization("lt-pro")
eurolux = seed_organization("eurolux")
anlp = seed_organization("anlp")


@pytest.fixture
def member(db: None) -> Callable[..., User]:
    """``member(org, "supervisor")``: a user with that role in ``org``, named
    ``<org>-<role>`` unless ``name`` is given, password "x". Other keyword arguments go to
    the user (``email=...``, ``first_name=...``)."""

    def make(org: Organization, role: str = "agent", name: str = "", **fields: str) -> User:
        user = User.objects.create_user(name or f"{org.slug}-{role}", password="x", **fields)
        Membership.objects.create(organization=org, user=user, role=role)
        return user

    return make


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Attachments go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)
