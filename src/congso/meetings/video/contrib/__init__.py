"""Video bridges that ship with Công Sở, one package each."""
