"""The demo's staff: in each organization an owner, a supervisor, two agents and a
viewer, plus one consultant who works for several organizations. Every password is
``demo``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from charterdesk.cases.models import Membership, Organization

PASSWORD = "demo"

#: Per organization: (username before the @, role, first name, last name).
STAFF: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "leviatan": (
        ("owner", "owner", "Andrei", "Popescu"),
        ("supervisor", "supervisor", "Ioana", "Marin"),
        ("agent", "agent", "Mihai", "Ionescu"),
        ("agent2", "agent", "Elena", "Dumitru"),
        ("viewer", "viewer", "Radu", "Stan"),
    ),
    "ask4": (
        ("owner", "owner", "Katarzyna", "Nowak"),
        ("supervisor", "supervisor", "Piotr", "Wiśniewski"),
        ("agent", "agent", "Anna", "Zielińska"),
        ("agent2", "agent", "Tomasz", "Lewandowski"),
        ("viewer", "viewer", "Magdalena", "Wójcik"),
    ),
    "lt-pro": (
        ("owner", "owner", "Ольга", "Смирнова"),
        ("supervisor", "supervisor", "Дмитрий", "Кузнецов"),
        ("agent", "agent", "Анна", "Соколова"),
        ("agent2", "agent", "Сергей", "Морозов"),
        ("viewer", "viewer", "Татьяна", "Волкова"),
    ),
    "eurolux": (
        ("owner", "owner", "Leyla", "Həsənova"),
        ("supervisor", "supervisor", "Rauf", "Məmmədov"),
        ("agent", "agent", "Nigar", "Əliyeva"),
        ("agent2", "agent", "Elvin", "Quliyev"),
        ("viewer", "viewer", "Aysel", "Hüseynova"),
    ),
    "anlp": (
        ("owner", "owner", "Jelena", "Petrović"),
        ("supervisor", "supervisor", "Marko", "Jovanović"),
        ("agent", "agent", "Milica", "Nikolić"),
        ("agent2", "agent", "Nikola", "Đorđević"),
        ("viewer", "viewer", "Ana", "Stojanović"),
    ),
}

#: The consultant who belongs to every organization, with a different role in each.
CONSULTANT = ("consultant@demo", "Sam", "Taylor")
CONSULTANT_ROLES = {
    "leviatan": "agent",
    "ask4": "agent",
    "anlp": "supervisor",
    "eurolux": "viewer",
    "lt-pro": "viewer",
}


@dataclass
class Team:
    """Who works one organization's cases in the demo."""

    org: Organization
    owner: User
    supervisor: User
    agents: list[User] = field(default_factory=list)  # the consultant too, where an agent
    viewers: list[User] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Login:
    username: str
    name: str
    roles: str  # "agent at leviatan, supervisor at anlp"


def ensure_staff(orgs: Iterable[Organization]) -> dict[str, Team]:
    """Create (or find) the demo staff and their memberships; safe to run again."""
    hashed = make_password(PASSWORD)  # hashing is slow on purpose: once for everyone
    teams: dict[str, Team] = {}
    for org in orgs:
        roles: dict[str, list[User]] = {role: [] for role in Membership.Role.values}
        for prefix, role, first, last in STAFF.get(org.slug, ()):
            user = _user(f"{prefix}@{org.slug}", first, last, hashed)
            roles[_member(org, user, role)].append(user)
        if org.slug in CONSULTANT_ROLES:
            user = _user(*CONSULTANT, hashed)
            roles[_member(org, user, CONSULTANT_ROLES[org.slug])].append(user)
        if not roles["owner"] or not roles["supervisor"] or not roles["agent"]:
            continue  # not one of the demo's organizations
        teams[org.slug] = Team(
            org=org,
            owner=roles["owner"][0],
            supervisor=roles["supervisor"][0],
            agents=roles["agent"],
            viewers=roles["viewer"],
        )
    return teams


def _user(username: str, first: str, last: str, hashed: str) -> User:
    defaults = {"first_name": first, "last_name": last, "password": hashed}
    user, _ = User.objects.get_or_create(
        username=username, defaults={**defaults, "email": f"{username}.example"}
    )
    return user


def _member(org: Organization, user: User, role: str) -> str:
    membership, _ = Membership.objects.get_or_create(
        organization=org, user=user, defaults={"role": role}
    )
    return membership.role


def logins(orgs: Iterable[Organization]) -> list[Login]:
    """Every demo login with its roles, for the table `make demo` prints."""
    slugs = [org.slug for org in orgs]
    found: list[Login] = []
    usernames = [f"{prefix}@{slug}" for slug in slugs for prefix, *_ in STAFF.get(slug, ())]
    usernames.append(CONSULTANT[0])
    memberships = (
        Membership.objects.select_related("user", "organization")
        .filter(user__username__in=usernames)
        .order_by("user__username")
    )
    by_user: dict[str, list[Membership]] = {}
    for membership in memberships:
        by_user.setdefault(membership.user.username, []).append(membership)
    for username in usernames:
        held = by_user.get(username, [])
        if held:
            roles = ", ".join(f"{m.role} at {m.organization.slug}" for m in held)
            found.append(Login(username, held[0].user.get_full_name(), roles))
    return found
