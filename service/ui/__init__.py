"""The workspace in the browser: server-rendered pages under ``/app`` for career centres and the
Financial Center. Pages call the same domain services as the API; nothing here decides a rule,
a scope or a validation of its own."""
