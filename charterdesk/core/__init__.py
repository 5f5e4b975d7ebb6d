"""The pure domain: business time, the charter model, clock evaluation.

Nothing here imports Django, reads the clock or does I/O (bar reading the text
handed to it). Time is always a parameter.
"""
