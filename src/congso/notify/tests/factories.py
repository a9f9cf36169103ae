import factory
from django.utils import timezone

from congso.notify.models import Channel, Notification, Status


class InAppNotificationFactory(factory.django.DjangoModelFactory):
    """An in-app notification as ``notify()`` leaves it: sent at once, unread."""

    class Meta:
        model = Notification

    user = factory.SubFactory("congso.accounts.tests.factories.CitizenFactory")
    channel = Channel.IN_APP
    template = "generic"
    subject = factory.Sequence(lambda n: f"Thông báo số {n}")
    body = "Hồ sơ của bạn đã được tiếp nhận."
    status = Status.SENT
    sent_at = factory.LazyFunction(timezone.now)
