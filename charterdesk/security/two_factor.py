"""Two-factor login for staff (django-otp): a TOTP app and backup codes.

A staff member turns it on themselves: :func:`start` makes an unconfirmed TOTP device whose
key the QR code carries; :func:`confirm` takes the first code from the app, confirms the
device and makes ten backup codes (django-otp's static device, each used once) that are
shown that once. From then on login asks for a code after the password (:func:`match`).
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib.auth.models import User
from django.db import transaction
from django_otp import devices_for_user, user_has_device  # type: ignore[import-untyped]
from django_otp.models import Device  # type: ignore[import-untyped]
from django_otp.plugins.otp_static.models import (  # type: ignore[import-untyped]
    StaticDevice,
    StaticToken,
)
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]

BACKUP_CODES = 10
DEVICE_NAME = "authenticator"


def is_on(user: User) -> bool:
    """Whether the user has a confirmed device, so that login asks for a code."""
    return bool(user_has_device(user, confirmed=True))


def pending_device(user: User) -> TOTPDevice | None:
    """The TOTP device being set up (shown as a QR code), if any."""
    found: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return found


@transaction.atomic
def start(user: User) -> TOTPDevice:
    """A new unconfirmed TOTP device with a fresh key (an earlier unconfirmed one goes)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm(user: User, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the device being set up with a code from the app: the device and the backup
    codes, or None if the code is not right (nothing changes)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(normalized(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, new_backup_codes(user)


@transaction.atomic
def new_backup_codes(user: User) -> list[str]:
    """Ten new backup codes in place of any earlier ones."""
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


def match(user: User, code: str) -> Device | None:
    """The confirmed device that accepts ``code`` (a TOTP code, or a backup code, which is
    then used up), or None. django-otp's throttling applies to each device."""
    token = normalized(code)
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            allowed, _ = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                found: Device = device
                return found
    return None


@transaction.atomic
def turn_off(user: User) -> None:
    """Every device of the user goes; login asks only for the password again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def normalized(code: str) -> str:
    """What people type: spaces and dashes inside a code are dropped."""
    return "".join(code.split()).replace("-", "")


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG (no script, no style attribute: the
    page's CSP allows it)."""
    svg: Any = segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff"
    )
    return str(svg)


def key_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
