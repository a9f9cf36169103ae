"""Demo data of the documents app for the Nghi Lộc demo district."""


def load(loaded: dict) -> None:
    """Filled in by the documents app (idempotent)."""
