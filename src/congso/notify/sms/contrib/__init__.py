"""SMS providers that ship with Công Sở, one package each."""
