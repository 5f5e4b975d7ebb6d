"""Protections that span the site: login lockout page, content security policy, production
settings checks. See docs/security.md."""
