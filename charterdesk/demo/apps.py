from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "charterdesk.demo"
    verbose_name = "Demo"
