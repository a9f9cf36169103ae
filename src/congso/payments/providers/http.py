"""The one way payment providers call their gateway's server-to-server API: JSON over HTTPS
POST with a timeout; every failure (refused connection, HTTP error, a body that is not a JSON
object) is a ``GatewayError``, so the services never conclude anything from it."""

import json
import urllib.error
import urllib.request

from .base import GatewayError


def post_json(url: str, payload: dict, *, timeout: float = 20, headers: dict | None = None) -> dict:
    if not url.startswith(("https://", "http://")):
        raise GatewayError(f"not an http(s) address: {url!r}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": "application/json"}
        | (headers or {}),
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            answer = json.loads(response.read(1_000_000).decode("utf-8"))
    except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors
        raise GatewayError(f"{url}: {exc}") from exc
    if not isinstance(answer, dict):
        raise GatewayError(f"{url}: the answer is not a JSON object")
    return answer


def get_text(url: str, *, timeout: float = 20, limit: int = 20_000_000) -> str:
    """A UTF-8 text file from the gateway (the daily settlement file)."""
    if not url.startswith(("https://", "http://")):
        raise GatewayError(f"not an http(s) address: {url!r}")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.read(limit).decode("utf-8-sig")
    except (OSError, ValueError) as exc:
        raise GatewayError(f"{url.split('?')[0]}: {exc}") from exc
