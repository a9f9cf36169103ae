"""A local stand-in for the national document-exchange axis (VDXP / LGSP).

``python -m sandbox.exchange_axis --port 8004`` serves it; tests call ``start_in_thread(port=0)``.
"""

from .axis import Axis, Delivery
from .server import DEFAULT_TOKEN, Running, build, start_in_thread

__all__ = ["DEFAULT_TOKEN", "Axis", "Delivery", "Running", "build", "start_in_thread"]
