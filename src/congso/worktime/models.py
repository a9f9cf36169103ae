"""The year's announced exceptions to the working calendar, edited by system administrators.

Public holidays come from the ``holidays`` package; each year the Prime Minister (through the
Ministry of Home Affairs) also fixes extra days off and swaps a weekday with a Saturday
(Labour Code 2019 art. 112(3)). Those decisions are kept here, one row per date, with the text
that decided them.
"""

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
