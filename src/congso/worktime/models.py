"""The year's announced exceptions to the working calendar, edited by system administrators.

Public holidays come from the ``holidays`` package; each year the Prime Minister (through the
Ministry of Home Affairs) also fixes extra days off and swaps a weekday with a Saturday
(Labour Code 2019 art. 112(3)). Those decisions are kept here, one row per date, with the text
that decided them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExceptionKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ thêm")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class CalendarException(models.Model):
    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=ExceptionKind.choices)
    reason = models.CharField(_("lý do"), max_length=255)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày ngoại lệ của lịch làm việc")
        verbose_name_plural = _("ngày ngoại lệ của lịch làm việc")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}"


class YearConfirmation(models.Model):
    """An administrator checked the year's table — the package's public holidays (Labour Code
    2019 art. 112, Culture Day 24/11 once enacted) and the Prime Minister's Tết and National Day
    decisions entered as exceptions — and confirmed it. Any later change to the year's
    exceptions withdraws the confirmation, so the table is confirmed as it stands."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"))
    #: The ``holidays`` package version whose table was checked (pinned in pyproject).
    package_version = models.CharField(_("phiên bản gói ngày lễ"), max_length=20)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("xác nhận lịch năm")
        verbose_name_plural = _("xác nhận lịch năm")

    def __str__(self):
        return str(self.year)
