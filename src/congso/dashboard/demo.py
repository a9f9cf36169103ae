"""Demo data of the dashboard app for the Nghi Lộc demo district."""


def load(loaded: dict) -> None:
    """Filled in by the dashboard app (idempotent)."""
