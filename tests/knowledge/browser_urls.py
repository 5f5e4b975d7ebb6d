"""A page with the web form's article suggestions on it, for the browser test (the
portal's form is where they go; this stands in for it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from charterdesk.cases.models import Organization

PAGE = """{% load knowledge %}<!doctype html><html><body><main>
<form method="post" action="">
  <input name="subject"><textarea name="message"></textarea>
  {% article_suggestions org language %}
  <button type="submit">Send</button>
</form></main></body></html>"""


def form_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = Organization.objects.get(slug=org_slug)
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"org": org, "language": "en"}, request))


urlpatterns = [
    path("test-form/<slug:org_slug>/", form_page),
    path("", include("charterdesk.urls")),
]
