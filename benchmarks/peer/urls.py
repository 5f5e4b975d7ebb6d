"""URLs of the peer benchmark's Django project: django-helpdesk at the root, as its
documentation installs it."""

from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
