"""A local national public-service portal (DVCQG) behind the provincial LGSP, speaking the
dossier-sync and catalogue services over REST with an OAuth2 token endpoint.

``python -m sandbox.dvcqg --port 8007`` serves it; tests call ``start_in_thread(port=0)``.
"""

from .portal import CATALOGUE, Portal
from .server import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Running, build, start_in_thread

__all__ = [
    "CATALOGUE",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "Portal",
    "Running",
    "build",
    "start_in_thread",
]
