"""Helpers for tests of any app that needs a logged-in user."""

from ..middleware import SESSION_KEY

BACKEND = "congso.accounts.backends.IdentifierBackend"


def pass_second_factor(client, passed: bool = True) -> None:
    """Mark the ``client``'s session as having passed the second factor (or not)."""
    session = client.session
    if passed:
        session[SESSION_KEY] = True
    else:
        session.pop(SESSION_KEY, None)
    session.save()


def log_in(client, user, *, second_factor: bool = True) -> None:
    """Log ``user`` into the Django test ``client``; administrators and signers also pass the
    second factor (as if they had typed a valid TOTP code), so pages are not redirected to
    ``accounts:totp``. ``second_factor=False`` leaves the session half-way, for tests of the
    second factor itself."""
    client.force_login(user, backend=BACKEND)
    pass_second_factor(client, second_factor)
