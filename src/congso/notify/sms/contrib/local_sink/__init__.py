"""Writes each SMS to a local file instead of sending it."""
