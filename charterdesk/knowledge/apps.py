from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "charterdesk.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge base"
