"""A certification authority's OCSP responder (RFC 6960 over HTTP, POST and GET), for the
certificates a test or demo CA issues with this responder's address in their AIA extension."""
