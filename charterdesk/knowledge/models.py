"""The knowledge base: each organization's help articles, one row per language version.

Versions of one article share its ``slug``; ``language`` is written as the charter
writes it (``sr-Latn``). ``updated_at`` is set by the service that saves (time is a
parameter, never read here).
"""

from __future__ import annotations

from django.db import models

from charterdesk.cases.models import Organization


class Article(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(max_length=100)
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    body = models.TextField()  # plain text: blank lines part paragraphs, "- " starts a list item
    published = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug", "language"], name="one_version_per_language"
            )
        ]
        indexes = [models.Index(fields=["organization", "language", "published"])]

    def __str__(self) -> str:
        return f"{self.slug} ({self.language})"
