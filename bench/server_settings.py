"""Settings of the benchmark's server: the deployment's own, plus one empty view (the baseline)."""

from congso.settings import *  # noqa: F403

ROOT_URLCONF = "bench.server_urls"
