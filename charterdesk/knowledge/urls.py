from django.urls import path

from charterdesk.knowledge import console_views, public_views

app_name = "knowledge"

urlpatterns = [
    path("o/<slug:org_slug>/help/", public_views.help_index, name="help"),
    path("o/<slug:org_slug>/help/suggest", public_views.suggest, name="suggest"),
    path("o/<slug:org_slug>/help/<slug:slug>/", public_views.article, name="article"),
    path("desk/<slug:org_slug>/articles/", console_views.article_list, name="console-list"),
    path("desk/<slug:org_slug>/articles/new/", console_views.article_new, name="console-new"),
    path(
        "desk/<slug:org_slug>/articles/<int:pk>/",
        console_views.article_edit,
        name="console-edit",
    ),
    # The case page's "Choose from the help articles" link is relative to the page's
    # address: the case, or its action's address after a refused action without JavaScript.
    path(
        "desk/<slug:org_slug>/cases/<str:reference>/articles/choose/",
        console_views.choose_for_case,
        name="console-choose",
    ),
    path(
        "desk/<slug:org_slug>/cases/<str:reference>/<slug:name>/articles/choose/",
        console_views.choose_for_case,
    ),
]
