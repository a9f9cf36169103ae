import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
application = get_wsgi_application()

from congso.core.checks import refuse_unsafe_start  # noqa: E402 - needs the apps loaded

refuse_unsafe_start()

# Import every view now rather than in the first request: a web process restarted after a crash
# would otherwise answer its first requests seconds late, the tail of a failover.
from django.urls import get_resolver  # noqa: E402

get_resolver().check()
