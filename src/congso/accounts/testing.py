"""Helpers for tests of any app that needs a logged-in user."""

from .middleware import SESSION_KEY


def log_in(client, user, *, second_factor: bool = True) -> None:
    """Log ``user`` into the Django test ``client``; administrators also pass the second factor
    (as if they had typed a valid TOTP code), so pages are not redirected to ``accounts:totp``."""
    client.force_login(user, backend="congso.accounts.backends.IdentifierBackend")
    if second_factor:
        session = client.session
        session[SESSION_KEY] = True
        session.save()
