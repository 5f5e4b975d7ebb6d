"""The demo: five organizations with staff and six months of history, made through the
same services the desk uses (`make demo`, `manage.py seed_demo`)."""
