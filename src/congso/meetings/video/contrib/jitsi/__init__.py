"""Jitsi Meet with token authentication."""
