"""Demo data of this app."""


def load(loaded: dict) -> None:
    return None
