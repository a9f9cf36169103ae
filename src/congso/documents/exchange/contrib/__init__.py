"""Exchange transports, one package per carrier."""
