"""Run the local exchange axis: in a thread (tests) or in the foreground (``make run``)."""

from dataclasses import dataclass

from sandbox.wsgi import Served, bind

from .axis import Axis

DEFAULT_TOKEN = "congso-sandbox-axis-token"


@dataclass
class Running(Served):
    axis: Axis = None


def build(host="127.0.0.1", port=0, *, tokens=(DEFAULT_TOKEN,), agents=None, verbose=False):
    server = bind(host, port, verbose=verbose)
    axis = Axis(tokens=set(tokens), agents=dict(agents or {}))
    server.set_app(axis)
    return Running(server, axis)


def start_in_thread(**kwargs) -> Running:
    return build(**kwargs).start_in_thread("sandbox-exchange-axis")
