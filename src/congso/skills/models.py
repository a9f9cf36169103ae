"""The digital-skills programme (Kỹ năng số): community digital teams, programmes, training
sessions with their attendance, the adult population each commune reports per year, and the
lessons citizens complete on the public pages.

Personal data is kept to the minimum the work needs: a team member's name, hamlet, role and
phone; an attendee's name and year of birth, and only when the commune wants a list at all.
Rows are changed only by ``services``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    INTERNET = "internet", _("Truy cập và sử dụng Internet")
    EMAIL = "email", _("Thư điện tử")
    SHOPPING = "shopping", _("Mua bán trực tuyến")
    PAYMENT = "payment", _("Thanh toán điện tử")
    PUBLIC_SERVICES = "public_services", _("Dịch vụ công trực tuyến")
    DATA_SAFETY = "data_safety", _("Bảo đảm an toàn thông tin cá nhân")


class Team(models.Model):
    """A commune's community digital team (tổ công nghệ số cộng đồng)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="digital_teams"
    )
    name = models.CharField(_("tên tổ"), max_length=200)
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")

    def __str__(self):
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    hamlet = models.CharField(_("thôn, xóm"), max_length=100)
    name = models.CharField(_("họ và tên"), max_length=100)
    role = models.CharField(_("vai trò trong tổ"), max_length=100, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=16, blank=True)

    class Meta:
        ordering = ["hamlet", "name"]
        verbose_name = _("thành viên tổ")
        verbose_name_plural = _("thành viên tổ")

    def __str__(self):
        return f"{self.name} ({self.hamlet})"


class Programme(models.Model):
    """A training programme of a unit, e.g. the seed's pilot in Xã Nghi Long."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên chương trình"), max_length=300)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    target = models.PositiveIntegerField(_("chỉ tiêu (lượt người)"), default=0)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["-start", "name"]
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")

    def __str__(self):
        return self.name


class Session(models.Model):
    """One training session on one topic; ``attendance`` is the head count that counts."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="sessions"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("xã tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("chủ đề"), max_length=20, choices=Topic.choices)
    date = models.DateField(_("ngày"))
    place = models.CharField(_("địa điểm"), max_length=200)
    trainer = models.CharField(_("người hướng dẫn"), max_length=100)
    attendance = models.PositiveIntegerField(_("số người tham dự"))
    notes = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("buổi tập huấn")
        verbose_name_plural = _("buổi tập huấn")
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self):
        return f"{self.get_topic_display()} — {self.date:%d/%m/%Y}"


class Attendee(models.Model):
    """An optional attendance list line: name and year of birth only."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("họ và tên"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(
        _("năm sinh"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )

    class Meta:
        ordering = ["pk"]


class AdultPopulation(models.Model):
    """People aged 15 and over in a commune in a year, entered from the commune's statistics."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    count = models.PositiveIntegerField(_("dân số từ 15 tuổi"))

    class Meta:
        ordering = ["unit__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="skills_population_unique")
        ]


class Completion(models.Model):
    """A lesson whose quiz was passed: by a logged-in citizen or an anonymous browser session,
    optionally attributed to the commune the learner chose."""

    topic = models.CharField(_("chủ đề"), max_length=20, choices=Topic.choices)
    completed_at = models.DateTimeField(_("thời điểm"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("xã"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["unit", "completed_at"])]
