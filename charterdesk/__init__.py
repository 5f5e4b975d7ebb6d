"""Charterdesk: a service desk whose rules are the organization's published charter."""
