"""A generic JSON-over-HTTPS brandname-SMS gateway."""
