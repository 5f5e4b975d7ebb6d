"""The case page's actions: each is a form and exactly one call to
:mod:`charterdesk.cases.actions`, which checks the role, owns the transaction and queues
what the customer is told."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from charterdesk.cases import actions
from charterdesk.cases.models import Case, Membership
from charterdesk.channels.entries import record_callback
from charterdesk.console import forms
from charterdesk.console.intake_forms import CallbackForm
from charterdesk.knowledge.forms import ArticlesAnswerForm
from charterdesk.knowledge.services import answer_with_articles

Data = Mapping[str, Any]


def _reply(case: Case, data: Data, actor: User, now: datetime) -> object:
    return actions.reply(case, body=data["body"], kind=data["kind"], now=now, actor=actor)


def _assign(case: Case, data: Data, actor: User, now: datetime) -> object:
    return actions.assign(case, to=data["to"], now=now, actor=actor)


def _hand_off(case: Case, data: Data, actor: User, now: datetime) -> object:
    return actions.hand_off(case, to=data["to"], new_date=data["new_date"], now=now, actor=actor)


def _delay_notice(case: Case, data: Data, actor: User, now: datetime) -> object:
    return actions.send_delay_notice(
        case, reason=data["reason"], new_date=data["new_date"], now=now, actor=actor
    )


def _request_information(case: Case, data: Data, actor: User, now: datetime) -> object:
    return actions.request_information(case, question=data["question"], now=now, actor=actor)


def _information_complete(case: Case, data: Data, actor: User, now: datetime) -> object:
    return actions.mark_information_complete(case, now=now, actor=actor)


def _resolve(case: Case, data: Data, actor: User, now: datetime) -> object:
    return actions.resolve(
        case,
        result=data["result"],
        steps=data["steps"],
        first_contact=data["first_contact"],
        now=now,
        actor=actor,
    )


def _apologise(case: Case, data: Data, actor: User, now: datetime) -> object:
    return actions.apologise(case, remedy=data["remedy"], now=now, actor=actor)


def _classify_cause(case: Case, data: Data, actor: User, now: datetime) -> object:
    return actions.classify_cause(case, cause=data["cause"], now=now, actor=actor)


def _note(case: Case, data: Data, actor: User, now: datetime) -> object:
    return actions.add_note(case, text=data["text"], now=now, actor=actor)


def _callback(case: Case, data: Data, actor: User, now: datetime) -> object:
    return record_callback(case, notes=data["notes"], now=now, actor=actor)


def _answer_with_articles(case: Case, data: Data, actor: User, now: datetime) -> object:
    return answer_with_articles(case, slugs=data["articles"], now=now, actor=actor)


@dataclass(frozen=True, slots=True)
class CaseAction:
    name: str  # in the URL and the form prefix
    title: Promise
    form: type[forms.ActionForm]
    run: Callable[[Case, Data, User, datetime], object]
    done: Promise  # what the person is told when it worked
    open: bool = False  # shown unfolded on the case page


ACTIONS: dict[str, CaseAction] = {
    action.name: action
    for action in [
        CaseAction("reply", _("Reply"), forms.ReplyForm, _reply, _("Sent."), open=True),
        CaseAction("assign", _("Assign"), forms.AssignForm, _assign, _("Assigned.")),
        CaseAction("hand-off", _("Hand off"), forms.HandOffForm, _hand_off, _("Handed off.")),
        CaseAction(
            "request-information",
            _("Ask for information"),
            forms.InformationRequestForm,
            _request_information,
            _("Question sent."),
        ),
        CaseAction(
            "information-complete",
            _("Information complete"),
            forms.InformationCompleteForm,
            _information_complete,
            _("Recorded."),
        ),
        CaseAction(
            "delay-notice",
            _("Delay notice"),
            forms.DelayNoticeForm,
            _delay_notice,
            _("Delay notice sent."),
        ),
        CaseAction("resolve", _("Resolve"), forms.ResolveForm, _resolve, _("Resolved.")),
        CaseAction(
            "apologise",
            _("Apology and remedy"),
            forms.ApologyForm,
            _apologise,
            _("Apology sent."),
        ),
        CaseAction(
            "classify-cause",
            _("Cause"),
            forms.CauseForm,
            _classify_cause,
            _("Cause recorded."),
        ),
        CaseAction(
            "answer-with-articles",
            _("Answer with help articles"),
            ArticlesAnswerForm,
            _answer_with_articles,
            _("Articles sent."),
        ),
        CaseAction("callback", _("Called back"), CallbackForm, _callback, _("Call recorded.")),
        CaseAction("note", _("Note"), forms.NoteForm, _note, _("Note added.")),
    ]
}


@dataclass(frozen=True, slots=True)
class ActionPanel:
    """One action as the case page shows it."""

    action: CaseAction
    form: forms.ActionForm
    done: bool = False  # it has just worked (htmx shows the message in the fresh form)

    @property
    def name(self) -> str:
        return self.action.name

    @property
    def open(self) -> bool:
        return self.action.open or self.done or bool(self.form.errors)


def blank_form(
    action: CaseAction, members: Sequence[Membership], initial: Data | None = None
) -> forms.ActionForm:
    return action.form(prefix=action.name, members=members, initial=initial)


def panels(
    members: Sequence[Membership],
    bound: forms.ActionForm | None = None,
    bound_name: str = "",
    *,
    done: str = "",
    reply_text: str = "",
) -> list[ActionPanel]:
    """Every action's panel: the one just submitted as it was, the others empty."""
    shown = []
    for action in ACTIONS.values():
        if action.name == bound_name and bound is not None:
            shown.append(ActionPanel(action, bound))
            continue
        initial = {"body": reply_text} if action.name == "reply" and reply_text else None
        shown.append(ActionPanel(action, blank_form(action, members, initial), done == action.name))
    return shown
