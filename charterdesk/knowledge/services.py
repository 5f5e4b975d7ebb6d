"""Writing the knowledge base, and answering a case with its articles (N4). One
transaction each; what the customer is told goes through the outbox."""

from __future__ import annotations

import re
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from charterdesk.cases import actions
from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.customer_mail import compose, tell_customer
from charterdesk.cases.models import AuditEntry, Case, Membership, Message, Organization
from charterdesk.cases.services import CaseError, record_event
from charterdesk.knowledge.models import Article
from charterdesk.knowledge.selectors import article_url, version_for

#: Who writes articles: supervisors and owners.
EDITING_ROLES = (Membership.Role.OWNER, Membership.Role.SUPERVISOR)
SLUG = re.compile(r"^[-a-z0-9_]{1,100}$")

DEFAULT_SUPPORT_PAGES = _("The answer to your question is on our help pages: {articles}")


class ArticleError(ValueError):
    """An article that cannot be saved; ``code`` is what code compares."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def may_edit(user: User, org: Organization) -> bool:
    return Membership.objects.filter(organization=org, user=user, role__in=EDITING_ROLES).exists()


@transaction.atomic
def save_article(
    org: Organization,
    *,
    article: Article | None,
    slug: str,
    language: str,
    title: str,
    body: str,
    published: bool,
    now: datetime,
    actor: User,
) -> Article:
    """Create an article's version (``article=None``) or change one."""
    if not may_edit(actor, org):
        raise NotAllowed("only supervisors and owners write articles")
    if article is not None and article.organization_id != org.pk:
        raise NotAllowed("the article belongs to another organization")
    if not SLUG.match(slug):
        raise ArticleError("bad-slug", gettext("Lower-case letters, digits and dashes only."))
    if language not in org.languages:
        raise ArticleError("bad-language", gettext("Not one of the organization's languages."))
    if not title.strip() or not body.strip():
        raise ArticleError("missing-data", gettext("An article needs a title and a text."))
    taken = Article.objects.filter(organization=org, slug=slug, language=language)
    if article is not None:
        taken = taken.exclude(pk=article.pk)
    if taken.exists():
        raise ArticleError(
            "duplicate", gettext("This short name already has a version in that language.")
        )
    article = article or Article(organization=org)
    article.slug, article.language = slug, language
    article.title, article.body = title.strip(), body.strip()
    article.published, article.updated_at = published, now
    article.save()
    AuditEntry.objects.create(
        organization=org,
        actor=actor,
        action="article_saved",
        target=f"article:{slug}/{language}",
        data={"published": published},
        at=now,
    )
    return article


@transaction.atomic
def answer_with_articles(
    case: Case, *, slugs: list[str], now: datetime, actor: User | None
) -> Message:
    """N4: answer with help articles instead of a personal reply. The customer gets the
    charter's ``support_pages`` text with the articles' links; the event
    ``answered_with_articles`` (data: the slugs) meets the clocks whose ``met_by`` names
    it, and no other."""
    if actor is not None and actions.role_of(actor, case) not in actions.WORKING_ROLES:
        raise NotAllowed("viewers cannot act on cases")
    slugs = list(dict.fromkeys(slug.strip() for slug in slugs if slug.strip()))
    if not slugs:
        raise CaseError("missing-articles", gettext("Choose at least one article."))
    org = case.organization
    lines = []
    for slug in slugs:
        article = version_for(org, slug, case.language)
        if article is None:
            missing = gettext("There is no published article %(slug)s.") % {"slug": slug}
            raise CaseError("unknown-article", missing)
        lines.append(f"- {article.title}: {article_url(org, slug, case.language)}")
    body = compose(
        case, "support_pages", DEFAULT_SUPPORT_PAGES, {"articles": "\n\n" + "\n".join(lines)}
    )
    author = (actor.get_full_name() or actor.username) if actor else ""
    message = tell_customer(case, body=body, now=now, author=author)
    data = {"articles": slugs}
    record_event(case, "answered_with_articles", at=now, now=now, data=data, actor=actor)
    return message
