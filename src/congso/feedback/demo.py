"""Demo data of the feedback app for the Nghi Lộc demo district."""


def load(loaded: dict) -> None:
    """Filled in by the feedback app (idempotent)."""
