"""Demo data of the ict app for the Nghi Lộc demo district."""


def load(loaded: dict) -> None:
    """Filled in by the ict app (idempotent)."""
