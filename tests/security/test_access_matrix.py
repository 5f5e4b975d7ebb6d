"""The access matrix: every role against every URL of the site, for objects of its own
organization and of another one.

The URLs come from walking the URLconf, so a new pattern that nobody has classified here
fails :func:`test_every_url_pattern_is_in_the_matrix` with its route in the message.

Outcomes are written as the status code, except ``login``: a redirect to a login page.
Objects of another organization are always a 404, whoever asks and however they are
named (the other organization's address, or ours with the other's reference or id); the
only exceptions are written next to their rule with the reason (a webhook signed with our
secret gets 401 at theirs; the admin's bare ``<id>/`` redirects to ``<id>/change/`` without
looking the object up, and that page is a 404).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from charterdesk.channels.signatures import sign
from charterdesk.console.case_actions import ACTIONS
from tests.console.conftest import NOW
from tests.security.access_world import (
    ASKERS,
    CHANNEL,
    CHANNEL_SECRET,
    ROLES,
    World,
    build,
    cleanup,
)

Expect = dict[str, str]  # asker -> outcome


def expect(
    owner: str, supervisor: str, agent: str, viewer: str, stranger: str, anonymous: str
) -> Expect:
    return dict(zip(ASKERS, (owner, supervisor, agent, viewer, stranger, anonymous), strict=True))


def members(ok: str = "200") -> Expect:
    """Any member of ours; the other organization's staff get 404; nobody: log in."""
    return expect(ok, ok, ok, ok, "404", "login")


def actors(ok: str = "200") -> Expect:
    """Members who work cases; a viewer may look but not act."""
    return expect(ok, ok, ok, "403", "404", "login")


def managers(ok: str = "200") -> Expect:
    """Owners and supervisors only."""
    return expect(ok, ok, "403", "403", "404", "login")


def everyone(outcome: str = "200") -> Expect:
    return dict.fromkeys(ASKERS, outcome)


def logged_in(outcome: str, anonymous: str = "login") -> Expect:
    return {**dict.fromkeys(ASKERS, outcome), "anonymous": anonymous}


def admin_staff(outcome: str, stranger: str | None = None) -> Expect:
    """The admin: our owner and the other organization's owner are staff; the others are
    sent to log in (the admin's login sends on to the staff login)."""
    return expect(outcome, "login", "login", "login", stranger or outcome, "login")


@dataclass(frozen=True)
class Probe:
    """One request and what each asker gets; ``others`` name the other organization's
    object in every way the URL can, and our members get ``other_outcome`` for each."""

    route: str
    method: str
    url: str
    expect: Expect
    others: tuple[str, ...] = ()
    data: dict[str, Any] | None = None
    headers: dict[str, str] | None = None
    other_expect: Expect | None = None  # our members naming theirs; None: a 404 for each


Rule = Callable[[str, World], Iterator[Probe]]


def get(expected: Expect, url: Callable[[World], str], *others: Callable[[World], str]) -> Rule:
    def probes(route: str, w: World) -> Iterator[Probe]:
        yield Probe(route, "get", url(w), expected, tuple(other(w) for other in others))

    return probes


def o(w: World) -> str:
    return w.ours.org.slug


def t(w: World) -> str:
    return w.theirs.org.slug


def case_urls(suffix: str) -> tuple[Callable[[World], str], ...]:
    """Our case's URL, and the other's under their address and under ours."""
    return (
        lambda w: f"/desk/{o(w)}/cases/{w.ours.case.reference}/{suffix}",
        lambda w: f"/desk/{t(w)}/cases/{w.theirs.case.reference}/{suffix}",
        lambda w: f"/desk/{o(w)}/cases/{w.theirs.case.reference}/{suffix}",
    )


#: Actions that an empty form completes (no assignee: unassigned; no note needed).
EMPTY_IS_ENOUGH = {"assign", "information-complete", "callback"}


def case_actions(route: str, w: World) -> Iterator[Probe]:
    """Every action posted empty: refused as incomplete (422) by those who may act, or done
    (302) where an empty form is enough."""
    for name in ACTIONS:
        ours, *others = (url(w) for url in case_urls(f"{name}/"))
        done = "302" if name in EMPTY_IS_ENOUGH else "422"
        yield Probe(route, "post", ours, actors(done), tuple(others), data={})


def choose_articles(route: str, w: World) -> Iterator[Probe]:
    suffix = (
        "articles/choose/"
        if route.endswith("<str:reference>/articles/choose/")
        else ("reply/articles/choose/")
    )
    ours, *others = (url(w) for url in case_urls(suffix))
    yield Probe(route, "get", ours, actors(), tuple(others))


def decision(route: str, w: World) -> Iterator[Probe]:
    data = {
        "decided_on": "2026-09-01",
        "text": "Answer the phone faster.",
        "causes": "",
        "cases": "",
    }
    yield Probe(
        route,
        "post",
        f"/desk/{o(w)}/reports/decisions/",
        managers("302"),
        (f"/desk/{t(w)}/reports/decisions/",),
        data=data,
    )


def tracking(suffix: str, expected: Expect, method: str = "get") -> Rule:
    def probes(route: str, w: World) -> Iterator[Probe]:
        data = {} if method == "post" else None
        yield Probe(route, method, f"/track/{w.ours.token}/{suffix}", expected, data=data)

    return probes


def attachment(route: str, w: World) -> Iterator[Probe]:
    """Our link opens our file; with it, the other organization's file id is a 404."""
    yield Probe(
        route,
        "get",
        f"/track/{w.ours.token}/files/{w.ours.attachment.pk}/",
        everyone(),
        (f"/track/{w.ours.token}/files/{w.theirs.attachment.pk}/",),
    )


def channel_events(route: str, w: World) -> Iterator[Probe]:
    """Signed with our channel's secret: a shape error (400) at ours; at theirs the
    signature does not match (401), and nothing is written."""
    body, stamp = b"{}", str(int(NOW.timestamp()))
    headers = {
        "X-Charterdesk-Signature": sign(CHANNEL_SECRET + o(w), stamp, body),
        "X-Charterdesk-Timestamp": stamp,
        "Content-Type": "application/json",
    }
    yield Probe(
        route,
        "post",
        f"/api/channels/{o(w)}/{CHANNEL}/events",
        everyone("400"),
        (f"/api/channels/{t(w)}/{CHANNEL}/events",),
        data={"__body__": body},
        headers=headers,
        other_expect=everyone("401"),
    )


def post(expected: Expect, url: str, data: dict[str, Any] | None = None) -> Rule:
    def probes(route: str, w: World) -> Iterator[Probe]:
        yield Probe(route, "post", url, expected, data=data or {})

    return probes


#: Every route outside the admin, and who gets what.
RULES: dict[str, Rule] = {
    "": get(everyone("302"), lambda w: "/"),
    "accounts/login/": get(logged_in("302", anonymous="200"), lambda w: "/accounts/login/"),
    "accounts/login/code/": get(everyone("login"), lambda w: "/accounts/login/code/"),
    "accounts/two-factor/": get(logged_in("200"), lambda w: "/accounts/two-factor/"),
    "accounts/logout/": post(everyone("login"), "/accounts/logout/"),
    "i18n/setlang/": post(everyone("302"), "/i18n/setlang/", {"language": "pl", "next": "/"}),
    # off unless a Mailgun signing key is set (then Mailgun's signature is checked)
    "intake/mailgun/inbound_mime/": post(everyone("404"), "/intake/mailgun/inbound_mime/"),
    "desk/": get(logged_in("302"), lambda w: "/desk/"),
    "desk/<slug:org_slug>/": get(members(), lambda w: f"/desk/{o(w)}/", lambda w: f"/desk/{t(w)}/"),
    "desk/<slug:org_slug>/new/": get(
        actors(), lambda w: f"/desk/{o(w)}/new/", lambda w: f"/desk/{t(w)}/new/"
    ),
    "desk/<slug:org_slug>/new/<slug:channel>/": get(
        actors(), lambda w: f"/desk/{o(w)}/new/phone/", lambda w: f"/desk/{t(w)}/new/phone/"
    ),
    "desk/<slug:org_slug>/cases/<str:reference>/": get(members(), *case_urls("")),
    "desk/<slug:org_slug>/cases/<str:reference>/<slug:name>/": case_actions,
    "desk/<slug:org_slug>/cases/<str:reference>/articles/choose/": choose_articles,
    "desk/<slug:org_slug>/cases/<str:reference>/<slug:name>/articles/choose/": choose_articles,
    "desk/<slug:org_slug>/articles/": get(
        managers(), lambda w: f"/desk/{o(w)}/articles/", lambda w: f"/desk/{t(w)}/articles/"
    ),
    "desk/<slug:org_slug>/articles/new/": get(
        managers(), lambda w: f"/desk/{o(w)}/articles/new/", lambda w: f"/desk/{t(w)}/articles/new/"
    ),
    "desk/<slug:org_slug>/articles/<int:pk>/": get(
        managers(),
        lambda w: f"/desk/{o(w)}/articles/{w.ours.article.pk}/",
        lambda w: f"/desk/{t(w)}/articles/{w.theirs.article.pk}/",
        lambda w: f"/desk/{o(w)}/articles/{w.theirs.article.pk}/",
    ),
    "desk/<slug:org_slug>/dashboard/": get(
        members(), lambda w: f"/desk/{o(w)}/dashboard/", lambda w: f"/desk/{t(w)}/dashboard/"
    ),
    "desk/<slug:org_slug>/reports/": get(
        members(), lambda w: f"/desk/{o(w)}/reports/", lambda w: f"/desk/{t(w)}/reports/"
    ),
    "desk/<slug:org_slug>/reports/causes/": get(
        members(),
        lambda w: f"/desk/{o(w)}/reports/causes/?cause=x&period=2026-09",
        lambda w: f"/desk/{t(w)}/reports/causes/?cause=x&period=2026-09",
    ),
    "desk/<slug:org_slug>/reports/decisions/": decision,
    "desk/<slug:org_slug>/reports/review.<str:fmt>": get(
        members(),
        lambda w: f"/desk/{o(w)}/reports/review.csv",
        lambda w: f"/desk/{t(w)}/reports/review.csv",
    ),
    # Public pages: anyone; another organization's article under our address is a 404.
    "o/<slug:org_slug>/results/": get(everyone(), lambda w: f"/o/{o(w)}/results/"),
    "o/<slug:org_slug>/charter/": get(everyone(), lambda w: f"/o/{o(w)}/charter/"),
    "o/<slug:org_slug>/contact/": get(everyone(), lambda w: f"/o/{o(w)}/contact/"),
    "o/<slug:org_slug>/contact/<slug:case_type>/": get(
        everyone(), lambda w: f"/o/{o(w)}/contact/complaint/"
    ),
    "o/<slug:org_slug>/help/": get(everyone(), lambda w: f"/o/{o(w)}/help/"),
    "o/<slug:org_slug>/help/suggest": get(everyone(), lambda w: f"/o/{o(w)}/help/suggest?q=bill"),
    "o/<slug:org_slug>/help/<slug:slug>/": get(
        everyone(),
        lambda w: f"/o/{o(w)}/help/{w.ours.article.slug}/",
        lambda w: f"/o/{o(w)}/help/{w.theirs.article.slug}/",
    ),
    # The survey page answers alike whether or not the reference exists (the address the
    # customer gave stands in for the link), so it shows nothing of any case.
    "o/<slug:org_slug>/survey/<str:reference>/": get(
        everyone(), lambda w: f"/o/{o(w)}/survey/{w.ours.case.reference}/"
    ),
    # The customer's side: the secret link is the key, whoever holds it.
    "track/": get(everyone(), lambda w: "/track/"),
    "track/<str:token>/": tracking("", everyone()),
    "track/<str:token>/thanks/": tracking("thanks/", everyone()),
    "track/<str:token>/<slug:name>/": tracking("reply/", everyone("400"), method="post"),
    "track/<str:token>/files/<int:pk>/": attachment,
    "api/channels/<slug:org_slug>/<slug:channel>/events": channel_events,
}


def contact_urls(suffix: str) -> tuple[Callable[[World], str], ...]:
    """Our contact's privacy page, and the other's under their address and under ours."""
    return (
        lambda w: f"/desk/{o(w)}/privacy/contacts/{_contact(w.ours)}/{suffix}",
        lambda w: f"/desk/{t(w)}/privacy/contacts/{_contact(w.theirs)}/{suffix}",
        lambda w: f"/desk/{o(w)}/privacy/contacts/{_contact(w.theirs)}/{suffix}",
    )


def _contact(side: Any) -> int:
    assert side.case.contact_id is not None
    return int(side.case.contact_id)


def contact_post(expected: Expect, suffix: str) -> Rule:
    def probes(route: str, w: World) -> Iterator[Probe]:
        ours, *others = (url(w) for url in contact_urls(suffix))
        yield Probe(route, "post", ours, expected, tuple(others), data={})

    return probes


def in_section(name: str, suffix: str) -> tuple[Callable[[World], str], ...]:
    """Our case's page in a section (conduct, privacy), and the other's both ways."""
    return (
        lambda w: f"/desk/{o(w)}/{name}/cases/{w.ours.case.reference}/{suffix}",
        lambda w: f"/desk/{t(w)}/{name}/cases/{w.theirs.case.reference}/{suffix}",
        lambda w: f"/desk/{o(w)}/{name}/cases/{w.theirs.case.reference}/{suffix}",
    )


def section_post(expected: Expect, name: str, suffix: str) -> Rule:
    def probes(route: str, w: World) -> Iterator[Probe]:
        ours, *others = (url(w) for url in in_section(name, suffix))
        yield Probe(route, "post", ours, expected, tuple(others), data={})

    return probes


def object_post(expected: Expect, prefix: str, label: str, suffix: str) -> Rule:
    """A POST naming a row of ours by id; theirs under their address and under ours."""

    def probes(route: str, w: World) -> Iterator[Probe]:
        mine, theirs = w.ours.objects[label].pk, w.theirs.objects[label].pk
        yield Probe(
            route,
            "post",
            f"/desk/{o(w)}/{prefix}/{mine}/{suffix}",
            expected,
            (
                f"/desk/{t(w)}/{prefix}/{theirs}/{suffix}",
                f"/desk/{o(w)}/{prefix}/{theirs}/{suffix}",
            ),
            data={},
        )

    return probes


#: Conduct (A3, N7) and privacy (L10, T11): classified from docs/privacy.md and the apps'
#: role checks when this matrix was written (supervisors and owners decide restrictions and
#: handle personal data; anyone who works cases records conduct and reports a breach).
RULES.update(
    {
        "desk/<slug:org_slug>/conduct/": get(
            members(), lambda w: f"/desk/{o(w)}/conduct/", lambda w: f"/desk/{t(w)}/conduct/"
        ),
        "desk/<slug:org_slug>/conduct/cases/<str:reference>/": get(
            members(), *in_section("conduct", "")
        ),
        "desk/<slug:org_slug>/conduct/cases/<str:reference>/record/": section_post(
            actors("422"), "conduct", "record/"
        ),
        "desk/<slug:org_slug>/conduct/cases/<str:reference>/restrict/": section_post(
            managers("422"), "conduct", "restrict/"
        ),
        "desk/<slug:org_slug>/privacy/": get(
            managers(), lambda w: f"/desk/{o(w)}/privacy/", lambda w: f"/desk/{t(w)}/privacy/"
        ),
        "desk/<slug:org_slug>/privacy/contacts/<int:pk>/": get(managers(), *contact_urls("")),
        "desk/<slug:org_slug>/privacy/contacts/<int:pk>/export/": contact_post(
            managers("200"),
            "export/",  # the export button: the zip at once
        ),
        "desk/<slug:org_slug>/privacy/contacts/<int:pk>/erase/": contact_post(
            managers("422"), "erase/"
        ),
        "desk/<slug:org_slug>/privacy/contacts/<int:pk>/hold/": contact_post(
            managers("422"), "hold/"
        ),
        "desk/<slug:org_slug>/privacy/cases/<str:reference>/": get(
            managers(), *in_section("privacy", "")
        ),
        "desk/<slug:org_slug>/privacy/cases/<str:reference>/hold/": section_post(
            managers("422"), "privacy", "hold/"
        ),
        "desk/<slug:org_slug>/privacy/cases/<str:reference>/regulator-notified/": section_post(
            actors("302"),
            "privacy",
            "regulator-notified/",  # refusals: a message, back to the case
        ),
        # lifting an already lifted restriction, or releasing a hold without a reason, is
        # refused with a message on the page it redirects to; a review needs its form
        "desk/<slug:org_slug>/conduct/<int:pk>/lift/": object_post(
            managers("302"), "conduct", "conduct.restriction", "lift/"
        ),
        "desk/<slug:org_slug>/conduct/<int:pk>/review/": object_post(
            managers("422"), "conduct", "conduct.restriction", "review/"
        ),
        "desk/<slug:org_slug>/privacy/holds/<int:pk>/release/": object_post(
            managers("302"), "privacy/holds", "privacy.legalhold", "release/"
        ),
        "desk/<slug:org_slug>/privacy/breaches/new/": get(
            actors(),
            lambda w: f"/desk/{o(w)}/privacy/breaches/new/",
            lambda w: f"/desk/{t(w)}/privacy/breaches/new/",
        ),
    }
)

#: Routes that name an object the matrix's world does not make yet (a restriction, a legal
#: hold): TO CLASSIFY (the lead moves each into RULES). Until then they are not probed.
PENDING: set[str] = set()

# --- The admin ---------------------------------------------------------------------------

#: Models whose rows belong to an organization: ours see ours only; theirs are a 404.
ADMIN_SCOPED = {
    "cases.organization": "change",
    "cases.charterversion": "view",  # read-only: a charter changes by approval (N10)
    "cases.membership": "change",
    "cases.case": "change",
    "cases.event": "view",
    "cases.clock": "view",
    "cases.outboxmessage": "change",
    "cases.auditentry": "view",
    "channels.channelconversation": "view",
    "channels.channelevent": "view",
    "knowledge.article": "change",
}
#: Models of the whole installation: for superusers only; organization staff get 403.
ADMIN_GLOBAL = {
    "auth.user",
    "auth.group",
    "django_tasks_database.dbtaskresult",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "otp_totp.totpdevice",  # a device's key is a secret: superusers only
    "otp_static.staticdevice",
}
ADMIN_MODEL_ROUTES = (
    "",
    "add/",
    "<path:object_id>/history/",
    "<path:object_id>/delete/",
    "<path:object_id>/change/",
    "<path:object_id>/",
)


#: The admin's page of one app, whose pattern lists every app with a registered model.
APP_LIST = (
    "admin/^(?P<app_label>"
    + "|".join(dict.fromkeys(m._meta.app_label for m in admin.site._registry))
    + ")/$"
)


def admin_routes() -> dict[str, Rule]:
    rules: dict[str, Rule] = {
        "admin/": get(admin_staff("200"), lambda w: "/admin/"),
        "admin/login/": get(everyone("login"), lambda w: "/admin/login/"),
        # staff are logged out; anyone else is sent to the admin's index (and on to log in)
        "admin/logout/": post(
            expect("login", "302", "302", "302", "login", "302"), "/admin/logout/"
        ),
        "admin/password_change/": get(admin_staff("200"), lambda w: "/admin/password_change/"),
        "admin/password_change/done/": get(
            admin_staff("200"), lambda w: "/admin/password_change/done/"
        ),
        # without its parameters (which name a model and field) it is refused outright
        "admin/autocomplete/": get(admin_staff("403"), lambda w: "/admin/autocomplete/"),
        "admin/jsi18n/": get(admin_staff("200"), lambda w: "/admin/jsi18n/"),
        # no model has get_absolute_url, so "view on site" finds nothing for anyone
        "admin/r/<path:content_type_id>/<path:object_id>/": view_on_site,
        APP_LIST: get(admin_staff("200"), lambda w: "/admin/cases/"),
        # the device's key as text and as a QR code: superusers only
        "admin/otp_totp/totpdevice/<int:pk>/config/": get(
            admin_staff("403"), lambda w: "/admin/otp_totp/totpdevice/1/config/"
        ),
        "admin/otp_totp/totpdevice/<int:pk>/qrcode/": get(
            admin_staff("403"), lambda w: "/admin/otp_totp/totpdevice/1/qrcode/"
        ),
        "admin/(?P<url>.*)$": get(admin_staff("404"), lambda w: "/admin/no-such-page/"),
        "admin/auth/user/<id>/password/": get(
            admin_staff("403"), lambda w: f"/admin/auth/user/{w.users['owner'].pk}/password/"
        ),
    }
    for label, mode in ADMIN_SCOPED.items():
        for suffix in ADMIN_MODEL_ROUTES:
            rules[_admin_route(label, suffix)] = _scoped(label, mode, suffix)
    for label in ADMIN_GLOBAL:
        for suffix in ADMIN_MODEL_ROUTES:
            rules[_admin_route(label, suffix)] = _global(label, suffix)
    return rules


def _admin_route(label: str, suffix: str) -> str:
    return f"admin/{label.replace('.', '/')}/{suffix}"


def view_on_site(route: str, w: World) -> Iterator[Probe]:
    kind = ContentType.objects.get_for_model(w.ours.case).pk
    yield Probe(route, "get", f"/admin/r/{kind}/{w.ours.case.pk}/", admin_staff("404"))


def _scoped(label: str, mode: str, suffix: str) -> Rule:
    def probes(route: str, w: World) -> Iterator[Probe]:
        base = f"/admin/{label.replace('.', '/')}/"
        if "<path:object_id>" not in suffix:
            writable = mode == "change" or suffix == ""
            yield Probe(route, "get", base + suffix, admin_staff("200" if writable else "403"))
            return
        ours, theirs = w.ours.objects[label].pk, w.theirs.objects[label].pk
        page = suffix.replace("<path:object_id>", "{}")
        if page == "{}/":  # a redirect to {}/change/ without a lookup
            yield Probe(route, "get", base + page.format(ours), admin_staff("302"))
            return
        allowed = "403" if page.endswith("delete/") and mode == "view" else "200"
        yield Probe(
            route,
            "get",
            base + page.format(ours),
            admin_staff(allowed, stranger="404"),
            (base + page.format(theirs),),
            other_expect=admin_staff("404"),  # our owner: 404; our non-staff: log in
        )

    return probes


def _global(label: str, suffix: str) -> Rule:
    """Organization staff have no permission: 403. Of a row that does not exist, Django's
    history page redirects to the admin's index before it asks for permission."""

    def probes(route: str, w: World) -> Iterator[Probe]:
        row = w.globals.get(label)
        page = suffix.replace("<path:object_id>", str(row.pk if row else 1))
        if suffix == "<path:object_id>/":
            outcome = "302"  # {}/ redirects to {}/change/ without a lookup
        elif page.endswith("history/") and row is None:
            outcome = "302"
        else:
            outcome = "403"
        yield Probe(route, "get", f"/admin/{label.replace('.', '/')}/{page}", admin_staff(outcome))

    return probes


# --- Walking the URLconf -----------------------------------------------------------------


def routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern)


def all_rules() -> dict[str, Rule]:
    return {**RULES, **admin_routes()}


def test_every_url_pattern_is_in_the_matrix() -> None:
    known = all_rules()
    unclassified = [route for route in routes() if route not in known]
    assert not unclassified, (
        "URL patterns missing from the access matrix (tests/security/test_access_matrix.py): "
        "classify each in RULES (who gets what, and how another organization's object is "
        "named), or for a registered admin model in ADMIN_SCOPED or ADMIN_GLOBAL:\n  "
        + "\n  ".join(unclassified)
    )


def test_every_admin_model_is_classified() -> None:
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    classified = set(ADMIN_SCOPED) | ADMIN_GLOBAL
    assert not registered - classified, (
        f"admin models missing from ADMIN_SCOPED (rows of an organization: make them in "
        f"tests/security/access_world.py) or ADMIN_GLOBAL: {sorted(registered - classified)}"
    )
    assert not classified - registered, f"no longer in the admin: {classified - registered}"


# --- Asking ------------------------------------------------------------------------------


@pytest.fixture
def world(
    db: None, settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    settings.MEDIA_ROOT = tmp_path
    settings.CHARTERDESK_CHANNEL_SECRETS = {
        f"{slug.upper().replace('-', '_')}_{CHANNEL.upper()}": CHANNEL_SECRET + slug
        for slug in ("ask4", "anlp")
    }
    built = build(NOW)
    yield built
    cleanup(built)


def outcome(response: Any) -> str:
    if response.status_code == 302:
        where = response["Location"]
        return "login" if where.startswith(("/accounts/login/", "/admin/login/")) else "302"
    return str(response.status_code)


def ask(world: World, asker: str, probe: Probe, url: str, number: int) -> str:
    client = Client(REMOTE_ADDR=f"198.51.100.{number % 250 + 1}")
    if asker != "anonymous":
        client.force_login(world.users[asker])
    headers = probe.headers or {}
    if probe.method == "get":
        return outcome(client.get(url, headers=headers))
    if probe.data and "__body__" in probe.data:
        body = probe.data["__body__"]
        return outcome(client.post(url, body, content_type="application/json", headers=headers))
    return outcome(client.post(url, probe.data or {}, headers=headers))


def probes(world: World) -> Iterator[Probe]:
    rules = all_rules()
    for route in routes():
        if route in rules:
            yield from rules[route](route, world)


def test_the_matrix(world: World) -> None:
    """Each asker against each URL of ours; each member of ours against each way of naming
    the other organization's object. Every difference is listed, not only the first."""
    wrong: list[str] = []
    asked = 0
    for probe in probes(world):
        for asker in ASKERS:
            asked += 1
            got = ask(world, asker, probe, probe.url, asked)
            if got != probe.expect[asker]:
                wrong.append(
                    f"{probe.method.upper()} {probe.url} as {asker}: {got}, "
                    f"expected {probe.expect[asker]} ({probe.route})"
                )
        for url in probe.others:
            for asker in ROLES:
                asked += 1
                got = ask(world, asker, probe, url, asked)
                wanted = probe.other_expect[asker] if probe.other_expect else "404"
                if got != wanted:
                    wrong.append(
                        f"{probe.method.upper()} {url} (theirs) as {asker}: {got}, "
                        f"expected {wanted} ({probe.route})"
                    )
    assert asked > 500
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("label", sorted(ADMIN_SCOPED))
def test_admin_lists_show_only_ones_own_organizations_rows(world: World, label: str) -> None:
    base = f"/admin/{label.replace('.', '/')}/"
    for asker, mine, theirs in (
        ("owner", world.ours, world.theirs),
        ("stranger", world.theirs, world.ours),
    ):
        client = Client()
        client.force_login(world.users[asker])
        page = client.get(base).text
        assert f"{base}{mine.objects[label].pk}/change/" in page, (asker, label)
        assert f"{base}{theirs.objects[label].pk}/change/" not in page, (asker, label)


def test_nothing_of_the_other_organization_was_written(world: World) -> None:
    """The probes that were refused changed nothing (a 404 is not a 404 after the fact)."""
    before = _counts(world)
    for probe in probes(world):
        for url in probe.others:
            ask(world, "owner", probe, url, 1)
    assert _counts(world) == before


def _counts(world: World) -> tuple[int, ...]:
    from charterdesk.cases.models import AuditEntry, Event, OutboxMessage

    org = world.theirs.org
    return (
        Event.objects.filter(organization=org).count(),
        OutboxMessage.objects.filter(organization=org).count(),
        AuditEntry.objects.filter(organization=org).count(),
    )
