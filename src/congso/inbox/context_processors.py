from django.utils.functional import SimpleLazyObject

from . import services


def inbox(request):
    """``inbox_count`` for officials, computed only if the page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_official:
        return {}
    return {"inbox_count": SimpleLazyObject(lambda: services.header_count(user))}
