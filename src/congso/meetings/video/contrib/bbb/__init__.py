"""BigBlueButton through its checksummed API."""
