"""Secrets come only from the environment: settings.py holds no secret literal, every secret
setting is what the environment says (and empty without it), and production refuses to start
without the secrets it needs, saying which variable to set."""

from __future__ import annotations

import ast
import json
import re

from tests.security.test_production_settings import ROOT, production, run

SETTINGS = ROOT / "charterdesk" / "settings.py"
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|(?<!AUTO_)KEY\b|SIGNING|CREDENTIAL")
#: The one literal: the embedded mode's key, public on purpose, which production refuses.
EMBEDDED = "EMBEDDED_SECRET_KEY"


def _tree() -> ast.Module:
    return ast.parse(SETTINGS.read_text(encoding="utf-8"))


def _names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple):
        return [name for element in target.elts for name in _names(element)]
    return []


def _is_literal(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Constant) and isinstance(value.value, str) and bool(value.value)


def test_settings_assign_no_secret_literal() -> None:
    found = []
    for node in ast.walk(_tree()):
        if isinstance(node, ast.Assign):
            for name in (n for target in node.targets for n in _names(target)):
                if SECRET_NAME.search(name) and name != EMBEDDED and _is_literal(node.value):
                    found.append(f"{name} (line {node.lineno})")
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                named = isinstance(key, ast.Constant) and isinstance(key.value, str)
                if named and SECRET_NAME.search(str(key.value).upper()) and _is_literal(value):
                    found.append(f"{key.value!r} (line {node.lineno})")
    assert not found, f"secret literals in settings.py: {found}"


def test_secret_variables_have_no_default_but_the_refused_one() -> None:
    """``os.environ.get("..._PASSWORD", "hunter2")`` would be a literal in disguise."""
    found = []
    for node in ast.walk(_tree()):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr != "get" or not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        variable = str(node.args[0].value)
        if not SECRET_NAME.search(variable.removeprefix("CHARTERDESK_")):
            continue
        default = node.args[1] if len(node.args) > 1 else None
        refused_key = isinstance(default, ast.Name) and default.id == EMBEDDED
        if _is_literal(default) and not refused_key:
            found.append(f"{variable} (line {node.lineno})")
    assert not found, f"secret variables with a default in settings.py: {found}"


SHOW_SECRETS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'secret_key': s.SECRET_KEY, "
    "'db_password': s.DATABASES['default'].get('PASSWORD', ''), "
    "'mail_password': s.EMAIL_HOST_PASSWORD, 'anymail': s.ANYMAIL, "
    "'channels': s.CHARTERDESK_CHANNEL_SECRETS}))"
)


def test_every_secret_setting_is_what_the_environment_says() -> None:
    env = production(
        CHARTERDESK_DATABASE_URL="postgres://desk:db-sentinel@db.internal:5432/desk",
        CHARTERDESK_EMAIL_HOST="smtp.internal",
        CHARTERDESK_EMAIL_USER="desk",
        CHARTERDESK_EMAIL_PASSWORD="mail-sentinel",
        CHARTERDESK_MAILGUN_WEBHOOK_SIGNING_KEY="mailgun-sentinel",
        CHARTERDESK_WEBHOOK_SECRET="hook:hook-sentinel",
        CHARTERDESK_WEBHOOK_SECRET_ASK4_PHONE="phone-sentinel",
    )
    done = run("-c", SHOW_SECRETS, **env)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown == {
        "secret_key": env["CHARTERDESK_SECRET_KEY"],
        "db_password": "db-sentinel",
        "mail_password": "mail-sentinel",
        "anymail": {
            "MAILGUN_WEBHOOK_SIGNING_KEY": "mailgun-sentinel",
            "WEBHOOK_SECRET": "hook:hook-sentinel",
        },
        "channels": {"ASK4_PHONE": "phone-sentinel"},
    }


def test_without_the_environment_no_secret_setting_has_a_value() -> None:
    done = run("-c", SHOW_SECRETS, **production())
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown.pop("secret_key")  # production's own, from the environment
    assert shown == {"db_password": "", "mail_password": "", "anymail": {}, "channels": {}}


def test_production_refuses_a_mail_login_without_its_password() -> None:
    done = run(
        "manage.py",
        "check",
        **production(CHARTERDESK_EMAIL_HOST="smtp.internal", CHARTERDESK_EMAIL_USER="desk"),
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "CHARTERDESK_EMAIL_PASSWORD is not" in done.stderr


def test_production_refuses_to_start_without_a_secret_key_and_says_how_to_make_one() -> None:
    done = run("manage.py", "check", CHARTERDESK_PRODUCTION="1")
    assert done.returncode != 0
    assert "set CHARTERDESK_SECRET_KEY" in done.stderr
    assert "secrets.token_urlsafe" in done.stderr


def test_the_package_holds_no_secret_looking_literal() -> None:
    """Beyond settings: no ``password = "..."`` or ``api_key = "..."`` anywhere in the code."""
    pattern = re.compile(
        r"""(?i)\b\w*(password|passwd|secret|api_?key|token|signing_key)\w*\s*[:=]\s*["'][^"'\s]{8,}["']"""
    )
    found = []
    for path in sorted((ROOT / "charterdesk").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and EMBEDDED not in line:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
