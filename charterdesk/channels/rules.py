"""Channel rules, as the charter writes them: which channels staff log contacts on, which
events each webhook channel takes, which case types a channel accepts, and where a
refused one is sent instead (A7: ASK4 takes complaints by online form or letter only).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from charterdesk.cases.models import Organization
from charterdesk.core.charter import Charter
from charterdesk.localized import django_language, translated
from charterdesk.portal import links

#: Channel kinds staff enter contacts for by hand, in the order the console offers them.
STAFF_KINDS = ("phone", "voicemail", "letter", "in_person")

#: What each webhook event type may arrive on, by channel kind.
WEBHOOK_KINDS: dict[str, tuple[str, ...]] = {
    "message": ("chat", "social"),
    "voicemail": ("voicemail",),
    "call": ("phone",),
}

DEFAULT_REDIRECT_TEXT = _("We take this kind of request in writing, here: {form_url}")


def staff_channels(charter: Charter) -> list[str]:
    """The charter's channels staff log contacts on: calls, voicemails, letters and
    in-store forms, visits."""
    order = {kind: i for i, kind in enumerate(STAFF_KINDS)}
    found = [key for key, channel in charter.channels.items() if channel.kind in order]
    return sorted(found, key=lambda key: order[charter.channels[key].kind])


def webhook_channel(charter: Charter, channel_id: str) -> bool:
    """Whether the channel exists and takes webhook events at all."""
    channel = charter.channels.get(channel_id)
    kinds = {kind for kinds in WEBHOOK_KINDS.values() for kind in kinds}
    return channel is not None and channel.kind in kinds


def takes_event(charter: Charter, channel_id: str, event_type: str) -> bool:
    return charter.channels[channel_id].kind in WEBHOOK_KINDS.get(event_type, ())


def default_case_type(charter: Charter, channel_id: str) -> str:
    """``enquiry`` if the channel takes enquiries, else the first type it takes (A7)."""
    channel = charter.channels[channel_id]
    accepted = [name for name in charter.case_types if channel.accepts_case(name)]
    if "enquiry" in accepted:
        return "enquiry"
    return accepted[0] if accepted else next(iter(charter.case_types))


@dataclass(frozen=True, slots=True)
class Redirect:
    """Where a case type the channel refuses is taken instead, and what to tell the
    customer (the charter's text in their language, with the address filled in)."""

    channel: str  # the charter's ``redirect_to``
    url: str  # the web form for the case type, or the channel's address
    text: str
    accepted_type: str  # what the contact may be logged as on this channel


def redirect_for(
    org: Organization, charter: Charter, channel_id: str, case_type: str, language: str
) -> Redirect | None:
    """None if the channel takes ``case_type``, or the charter names nowhere else."""
    channel = charter.channels[channel_id]
    if channel.accepts_case(case_type) or channel.redirect_to is None:
        return None
    target = charter.channels[channel.redirect_to]
    if target.kind == "web_form":
        url = links.form_url(org, case_type if target.accepts_case(case_type) else None)
        key = f"{case_type}_by_form"
    else:
        url = target.address or ""
        key = f"{case_type}_by_{target.kind}"
    with translation.override(django_language(language)):
        template = (
            translated(charter.texts[key], language)
            if key in charter.texts
            else str(DEFAULT_REDIRECT_TEXT)
        )
    text = template.replace("{form_url}", url).replace("{url}", url)
    return Redirect(channel.redirect_to, url, text, default_case_type(charter, channel_id))
