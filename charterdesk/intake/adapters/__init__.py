"""The ways mail comes in, one module each: IMAP polling (:mod:`.imap`), an LMTP listener a
mail server delivers to (:mod:`.lmtp`), and provider webhooks (:mod:`.webhooks`). Each turns
the outside world into calls of :func:`charterdesk.intake.receive.receive` and nothing else.
"""
