"""The console's forms for the knowledge base: an article's version, and the case action
"answer with articles" (N4)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from charterdesk.console.forms import ActionForm


class ArticleForm(forms.Form):
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=100,
        help_text=_(
            "In the address: lower-case letters, digits and dashes. Shared by every language."
        ),
    )
    language = forms.ChoiceField(label=_("Language"))
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_('A blank line starts a paragraph; lines starting with "- " make a list.'),
    )
    published = forms.BooleanField(label=_("Published"), required=False)

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages  # type: ignore[attr-defined]

    def clean_slug(self) -> str:
        return str(self.cleaned_data["slug"]).lower()


#: An article's address (``.../help/<slug>/``) or its bare short name.
_ARTICLE = re.compile(r"/help/([-\w]+)/?(?:\?.*)?$|^([-\w]+)$")


class ArticleLines(forms.Textarea):
    """One article per line here; the case's article picker sends one value per box, and
    both arrive as lines."""

    def value_from_datadict(
        self, data: Any, files: MultiValueDict[str, Any], name: str
    ) -> str | None:
        if hasattr(data, "getlist"):
            values = [str(value) for value in data.getlist(name)]
            return "\n".join(values) if values else None
        value = data.get(name)
        return None if value is None else str(value)


def _choose_link() -> str:
    """A link to the case's article picker, relative to the case page's address."""
    return format_html('<a href="articles/choose/">{}</a>', _("Choose from the help articles"))


class ArticlesAnswerForm(ActionForm):
    articles = forms.CharField(
        label=_("Help articles, one per line (short name or address)"),
        widget=ArticleLines(attrs={"rows": 3}),
        help_text=lazy(_choose_link, str)(),
    )

    def clean_articles(self) -> list[str]:
        slugs = []
        for line in str(self.cleaned_data["articles"]).splitlines():
            if not line.strip():
                continue
            found = _ARTICLE.search(line.strip())
            if found is None:
                raise forms.ValidationError(
                    _("%(line)s is not an article's short name or address."),
                    params={"line": line.strip()},
                )
            slugs.append((found.group(1) or found.group(2)).lower())
        return slugs
