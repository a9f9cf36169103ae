"""Payment providers that ship with Công Sở, one package each."""
