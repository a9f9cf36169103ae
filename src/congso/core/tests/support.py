"""Test helpers shared by the apps' tests."""

import io


def png(width: int = 20, height: int = 20) -> bytes:
    """A real (decodable) PNG: the file checker refuses a PNG signature followed by junk."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()
