from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "charterdesk.cases"
    verbose_name = "Cases"
