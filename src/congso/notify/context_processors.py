from django.utils.functional import SimpleLazyObject

from . import services


def bell(request):
    """``bell_count``: unread in-app notifications, computed only if the page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell_count": SimpleLazyObject(lambda: services.bell_count(user))}
