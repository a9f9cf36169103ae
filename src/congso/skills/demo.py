"""Demo data of the skills app for the Nghi Lộc demo district."""


def load(loaded: dict) -> None:
    """Filled in by the skills app (idempotent)."""
