"""Demo data of the payments app for the Nghi Lộc demo district."""


def load(loaded: dict) -> None:
    """Filled in by the payments app (idempotent)."""
