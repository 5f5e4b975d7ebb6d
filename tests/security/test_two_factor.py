"""Optional two-factor login for staff (django-otp): a member turns it on from the console
(scan a QR code, confirm a code, keep the backup codes shown once); then login asks for a
code after the password, wrong codes count towards django-axes' lockout, and the admin lets
in only a session that gave a code.

Codes are real TOTP codes computed from the device's key at a chosen instant: the desk's
clock and django-otp's are both set by the test, and moved by it (no sleeps)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp import models as totp_models
from django_otp.plugins.otp_totp.models import TOTPDevice

from charterdesk.security.views import PENDING
from tests.security.conftest import PASSWORD

LOGIN, CODE, PAGE = "/accounts/login/", "/accounts/login/code/", "/accounts/two-factor/"
IP = "203.0.113.9"


@dataclass
class Clocks:
    """The desk's clock and django-otp's TOTP clock, moved together by tests."""

    now: datetime

    def time(self) -> float:  # what django-otp calls as ``time.time()``
        return self.now.timestamp()


@pytest.fixture
def clocks(monkeypatch: pytest.MonkeyPatch) -> Clocks:
    """Starts at the real time: django-axes reads the real clock for its cool-off, and the
    tests move the desk's clock only minutes ahead of it."""
    clocks = Clocks(datetime.now(UTC).replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", lambda: clocks.now)
    monkeypatch.setattr(totp_models, "time", clocks)
    return clocks


def code_at(device: TOTPDevice, at: datetime) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice, at: datetime) -> str:
    return f"{(int(code_at(device, at)) + 7) % 1_000_000:06d}"


def enrol(client: Client, user: User, clocks: Clocks) -> list[str]:
    """Turn two-factor login on as the member would; the backup codes shown."""
    client.force_login(user)
    assert client.post(PAGE, {"action": "start"}).status_code == 302
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "<svg" in page.text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(PAGE, {"action": "confirm", "code": code_at(device, clocks.now)})
    assert done.status_code == 200, done.text
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.text)
    assert len(codes) == 10
    client.logout()
    clocks.now += timedelta(minutes=1)  # the next code, not the one just used
    return codes


def password(client: Client, secret: str = PASSWORD, next_url: str = "") -> object:
    data = {"username": "ana", "password": secret}
    url = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    return client.post(url, {**data, "next": next_url}, REMOTE_ADDR=IP)


def give(client: Client, code: str) -> object:
    return client.post(CODE, {"code": code}, REMOTE_ADDR=IP)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_without_two_factor_login_needs_only_the_password(
    client: Client, staff: User, clocks: Clocks
) -> None:
    response = password(client)
    assert response.status_code == 302
    assert response["Location"] == "/desk/"
    assert logged_in(client)


def test_with_two_factor_the_password_alone_does_not_log_in(
    client: Client, staff: User, clocks: Clocks
) -> None:
    enrol(client, staff, clocks)
    response = password(client)
    assert response.status_code == 302
    assert response["Location"] == CODE
    assert not logged_in(client)
    assert client.get("/desk/").status_code == 302  # still sent to log in


def test_the_right_code_logs_in_and_marks_the_session_verified(
    client: Client, staff: User, clocks: Clocks
) -> None:
    enrol(client, staff, clocks)
    password(client, next_url="/desk/ask4/")
    device = TOTPDevice.objects.get(user=staff)
    response = give(client, code_at(device, clocks.now))
    assert response.status_code == 302
    assert response["Location"] == "/desk/ask4/"
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING not in client.session


def test_a_wrong_code_or_an_old_one_or_a_reused_one_is_refused(
    client: Client, staff: User, clocks: Clocks
) -> None:
    enrol(client, staff, clocks)
    device = TOTPDevice.objects.get(user=staff)
    password(client)
    refused = give(client, wrong_code(device, clocks.now))
    assert refused.status_code == 422
    assert "That code is not right" in refused.text
    assert not logged_in(client)
    clocks.now += timedelta(seconds=10)  # past django-otp's throttle after one failure
    stale = code_at(device, clocks.now - timedelta(minutes=3))
    assert give(client, stale).status_code == 422
    clocks.now += timedelta(seconds=10)
    assert give(client, code_at(device, clocks.now)).status_code == 302
    client.logout()
    password(client)
    # the same 30-second window's code cannot be used twice
    assert give(client, code_at(device, clocks.now)).status_code == 422
    assert not logged_in(client)


def test_a_backup_code_logs_in_once(client: Client, staff: User, clocks: Clocks) -> None:
    codes = enrol(client, staff, clocks)
    password(client)
    assert give(client, codes[0]).status_code == 302
    assert logged_in(client)
    client.logout()
    password(client)
    assert give(client, codes[0]).status_code == 422
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_five_wrong_codes_lock_out_like_wrong_passwords(
    client: Client, staff: User, clocks: Clocks
) -> None:
    enrol(client, staff, clocks)
    device = TOTPDevice.objects.get(user=staff)
    password(client)
    answers = []
    for _ in range(5):
        clocks.now += timedelta(seconds=20)  # beyond django-otp's own throttle (1, 2, 4, 8 s)
        answers.append(give(client, wrong_code(device, clocks.now)).status_code)
    assert answers == [422, 422, 422, 422, 429]
    response = give(client, code_at(device, clocks.now))
    assert response.status_code == 429  # the right code too, during the lockout
    assert "Too many attempts" in response.text
    assert not logged_in(client)


def test_wrong_passwords_and_wrong_codes_share_one_budget(
    client: Client, staff: User, clocks: Clocks
) -> None:
    enrol(client, staff, clocks)
    device = TOTPDevice.objects.get(user=staff)
    for _ in range(3):
        assert password(client, "wrong").status_code == 200
    assert password(client).status_code == 302  # right: on to the code step
    clocks.now += timedelta(seconds=20)
    assert give(client, wrong_code(device, clocks.now)).status_code == 422  # the fourth
    clocks.now += timedelta(seconds=20)
    assert give(client, wrong_code(device, clocks.now)).status_code == 429  # the fifth


def test_the_code_step_waits_five_minutes_only(client: Client, staff: User, clocks: Clocks) -> None:
    enrol(client, staff, clocks)
    device = TOTPDevice.objects.get(user=staff)
    password(client)
    clocks.now += timedelta(minutes=6)
    response = give(client, code_at(device, clocks.now))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not logged_in(client)


def test_the_code_step_without_a_password_goes_back_to_the_login(
    client: Client, staff: User, clocks: Clocks
) -> None:
    response = give(client, "123456")
    assert response.status_code == 302
    assert response["Location"] == LOGIN


def test_a_next_address_elsewhere_is_not_followed(
    client: Client, staff: User, clocks: Clocks
) -> None:
    enrol(client, staff, clocks)
    password(client, next_url="https://evil.example/")
    response = give(client, code_at(TOTPDevice.objects.get(user=staff), clocks.now))
    assert response.status_code == 302
    assert response["Location"] == "/desk/"


def test_a_wrong_confirmation_code_leaves_two_factor_off(
    client: Client, staff: User, clocks: Clocks
) -> None:
    client.force_login(staff)
    client.post(PAGE, {"action": "start"})
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(PAGE, {"action": "confirm", "code": wrong_code(device, clocks.now)})
    assert response.status_code == 422
    assert "<svg" in response.text  # the QR code again, to try once more
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    client.logout()
    assert password(client).status_code == 302
    assert logged_in(client)


def test_turning_it_off_needs_a_code(client: Client, staff: User, clocks: Clocks) -> None:
    enrol(client, staff, clocks)
    device = TOTPDevice.objects.get(user=staff)
    password(client)
    give(client, code_at(device, clocks.now))
    clocks.now += timedelta(minutes=1)
    assert client.post(PAGE, {"action": "turn-off", "code": "x"}).status_code == 422
    assert TOTPDevice.objects.filter(user=staff).exists()
    clocks.now += timedelta(minutes=1)
    response = client.post(PAGE, {"action": "turn-off", "code": code_at(device, clocks.now)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    client.logout()
    assert password(client)["Location"] == "/desk/"  # type: ignore[index]


def test_the_qr_code_is_inline_svg_within_the_csp(
    client: Client, staff: User, clocks: Clocks
) -> None:
    client.force_login(staff)
    client.post(PAGE, {"action": "start"})
    page = client.get(PAGE)
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    assert "style=" not in svg
    assert "<script" not in svg
    assert "img-src 'self' data:" in page["Content-Security-Policy"]
    key = TOTPDevice.objects.get(user=staff).bin_key
    assert len(key) == 20  # 160 bits, as RFC 4226 recommends


@pytest.fixture
def admin_staff(staff: User) -> User:
    staff.is_staff = True
    staff.save()
    return staff


def test_the_admin_wants_a_code_from_a_member_who_turned_it_on(
    client: Client, admin_staff: User, clocks: Clocks
) -> None:
    enrol(client, admin_staff, clocks)
    client.force_login(admin_staff)  # a session that never gave a code
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    # and the admin's own password-only login form is not there: it sends to the staff login
    login = client.get("/admin/login/?next=/admin/")
    assert login.status_code == 302
    assert login["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    client.logout()
    password(client, next_url="/admin/")
    done = give(client, code_at(TOTPDevice.objects.get(user=admin_staff), clocks.now))
    assert done["Location"] == "/admin/"  # type: ignore[index]
    assert client.get("/admin/").status_code == 200


def test_the_admin_asks_no_code_of_a_member_without_two_factor(
    client: Client, admin_staff: User, clocks: Clocks
) -> None:
    client.force_login(admin_staff)
    assert client.get("/admin/").status_code == 200
