"""The contact a call, letter, visit or chat comes from: found by address (or, without
one, by phone number) within the organization, or created."""

from __future__ import annotations

from django.db.models import Q

from charterdesk.cases.models import Contact, Organization


def contact_for(
    org: Organization, *, name: str, email: str, phone: str, language: str
) -> Contact | None:
    """None when nothing at all is known of the customer (an anonymous caller)."""
    name, email, phone = name.strip()[:200], email.strip()[:254], phone.strip()[:40]
    if not (name or email or phone):
        return None
    known = Q(email__iexact=email) if email else Q(phone=phone) if phone else None
    found = (
        Contact.objects.filter(known, organization=org).order_by("pk").first() if known else None
    )
    if found is None:
        return Contact.objects.create(
            organization=org, name=name, email=email, phone=phone, language=language
        )
    missing = {"name": name, "email": email, "phone": phone}
    changed = [key for key, value in missing.items() if value and not getattr(found, key)]
    for key in changed:
        setattr(found, key, missing[key])
    if changed:
        found.save(update_fields=changed)
    return found
