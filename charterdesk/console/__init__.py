"""The staff side: queues, the case page and its actions, server-rendered with htmx."""
