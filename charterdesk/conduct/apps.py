from django.apps import AppConfig


class ConductConfig(AppConfig):
    name = "charterdesk.conduct"
    label = "conduct"
    verbose_name = "Conduct and contact restrictions"
