"""One user model for citizens and officials; officials hold positions (roles) at units."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Role as Role


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    OFFICIAL = "official", _("Cán bộ, công chức")


class IdProof(models.TextChoices):
    """How a personal ID number came to be bound to an account. Only the national eID and an
    official who checked the card prove it; a number typed by the person proves nothing."""

    NONE = "none", _("Chưa xác minh")
    EID = "eid", _("Xác minh qua VNeID")
    DESK = "desk", _("Cán bộ đối chiếu thẻ căn cước")


ADMIN_ROLES = {Role.UNIT_ADMIN, Role.SYSTEM_ADMIN}


class User(AbstractUser):
    kind = models.CharField(
        _("loại tài khoản"), max_length=10, choices=UserKind.choices, default=UserKind.CITIZEN
    )
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    #: The proven personal ID number: set only by ``user_from_eid`` or ``prove_id_at_desk``,
    #: the one number that matches the person's dossiers and data anywhere.
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, null=True, blank=True)
    id_proven_by = models.CharField(
        _("cách xác minh số định danh"), max_length=4, choices=IdProof.choices, default=IdProof.NONE
    )
    id_proven_at = models.DateTimeField(_("thời điểm xác minh số định danh"), null=True, blank=True)
    id_checked_by = models.ForeignKey(
        "self",
        verbose_name=_("cán bộ đối chiếu thẻ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: What the person typed when registering: a hint for the desk, never used for matching.
    declared_id_number = models.CharField(
        _("số định danh tự khai (chưa xác minh)"), max_length=12, blank=True, db_index=True
    )
    phone = models.CharField(_("số điện thoại"), max_length=16, null=True, blank=True, unique=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(
        _("giới tính"), max_length=6, blank=True, choices=[("male", _("Nam")), ("female", _("Nữ"))]
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    home_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("nơi cư trú"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    eid_subject = models.CharField(
        _("mã định danh VNeID"), max_length=100, null=True, blank=True, unique=True
    )
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed = models.BooleanField(_("đã bật xác thực hai lớp"), default=False)
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu khi đăng nhập"),
        default=False,
        help_text=_("Mật khẩu do quản trị viên đặt: người dùng tự đổi trước khi làm việc."),
    )
    password_changed_at = models.DateTimeField(_("đổi mật khẩu lúc"), null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="user_email_unique"
            ),
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(id_number__isnull=False),
                name="user_proven_id_number_unique",
            ),
            # a number is on the account exactly when it was proven
            models.CheckConstraint(
                condition=(Q(id_number__isnull=True) & Q(id_proven_by=IdProof.NONE))
                | (Q(id_number__isnull=False) & ~Q(id_proven_by=IdProof.NONE)),
                name="user_id_number_proven",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    @property
    def is_official(self) -> bool:
        return self.kind == UserKind.OFFICIAL

    @property
    def locked_until(self):
        """The end of the latest lockout still running (from any address, either factor)."""
        return (
            self.lockouts.filter(locked_until__gt=timezone.now())
            .order_by("-locked_until")
            .values_list("locked_until", flat=True)
            .first()
        )

    @property
    def id_proven(self) -> bool:
        return self.id_proven_by != IdProof.NONE

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None

    def active_positions(self):
        """Positions that grant rights today: begun, not ended, at a unit not yet retired."""
        return Position.objects.held_by(self.pk)

    @property
    def needs_second_factor(self) -> bool:
        """Administrators and every official who signs (a role granting a signing action, see
        ``permissions.signing_roles``) must use TOTP: their password alone is not enough."""
        from .permissions import held_roles, signing_roles

        if self.is_superuser:
            return True
        # Checked on every request of a session without the factor: citizens hold no positions,
        # officials' positions are read once and shared with the request's permission checks.
        return self.is_official and bool(held_roles(self) & (ADMIN_ROLES | signing_roles()))


class PositionQuerySet(models.QuerySet):
    def current(self, on=None):
        """Positions in force on ``on`` (today): begun, not ended, at a unit still in force.

        A unit whose retirement date is still ahead keeps working until that day.
        """
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(
            (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
            & (Q(unit__valid_until__isnull=True) | Q(unit__valid_until__gte=on))
        )

    def held_by(self, user_id: int, on=None):
        """The positions of one official in force on ``on`` (today), with their units."""
        return self.filter(user_id=user_id).current(on).select_related("unit")


class Position(models.Model):
    """An official's role at a unit (chức danh tại đơn vị)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="positions")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="positions"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    valid_from = models.DateField(_("từ ngày"), default=timezone.localdate)
    valid_until = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức danh")
        verbose_name_plural = _("chức danh")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="position_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class Factor(models.TextChoices):
    PASSWORD = "password", _("Mật khẩu")
    TOTP = "totp", _("Mã xác thực hai lớp")


class Lockout(models.Model):
    """Failed attempts of one factor against one account, counted per client address for the
    password (so a stranger elsewhere cannot lock the real user out) and per account for the
    second factor (only someone who already has the password reaches it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="lockouts")
    factor = models.CharField(max_length=10, choices=Factor.choices)
    ip = models.CharField(max_length=45, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_failure_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "factor", "ip"], name="lockout_unique"),
        ]


class RecoveryCode(models.Model):
    """A single-use code that stands in for a TOTP code (a lost phone); only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)


class EidSession(models.Model):
    """A session of ours opened through the eID, with the provider's session id and subject:
    what a back-channel logout from the provider names (``sid`` or ``sub``) to end it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="eid_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    subject = models.CharField(max_length=100, db_index=True)
    sid = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
