"""Who may sign an outgoing document of an organ, and how the signature block reads.

Decree 30/2020/NĐ-CP, art. 13 (authority to sign): a people's committee works collectively, so its
head signs on behalf of it (``TM.`` — thay mặt), a deputy signs in the head's place (``KT.`` — ký
thay) under the same ``TM.`` line, and an official appointed acting head signs as such (``Q.`` —
quyền); appendix I gives the layout (the ``TM.`` line, then the title, in capitals). Clerks, staff
and system administrators have no authority to sign the organ's documents: they are never offered.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congso.accounts import services as accounts
from congso.accounts.choices import Role
from congso.core.collation import sort_key

SIGNING_ROLES = (Role.LEADER, Role.DEPUTY_LEADER)
ORGAN_WORDS = "ỦY BAN NHÂN DÂN"
HEAD_TITLE = "CHỦ TỊCH"
DEPUTY_TITLE = "PHÓ CHỦ TỊCH"


@dataclass(frozen=True)
class Signer:
    user: object
    title: str  # the position's title as held ("Phó Chủ tịch UBND huyện")
    block: str  # the signature block, one line per authority level

    @property
    def label(self) -> str:
        return f"{self.user.get_full_name()} — {self.title}"


def signature_block(role: str, title: str) -> str:
    """The lines above the signature for a leader (``role``) holding ``title``."""
    if role == Role.DEPUTY_LEADER:
        return "\n".join([f"TM. {ORGAN_WORDS}", f"KT. {HEAD_TITLE}", DEPUTY_TITLE])
    if title.strip().lower().startswith("quyền"):
        return "\n".join([f"TM. {ORGAN_WORDS}", f"Q. {HEAD_TITLE}"])
    return "\n".join([f"TM. {ORGAN_WORDS}", HEAD_TITLE])


def eligible_signers(organ) -> list[Signer]:
    """The leaders, then the deputies, of ``organ`` itself (not of its departments) in force
    today, active accounts only, each in Vietnamese name order."""
    positions = accounts.current_positions(SIGNING_ROLES, unit_id=organ.pk)
    found = {}
    for position in positions:
        if position.user.is_active and position.user.pk not in found:
            block = signature_block(position.role, position.title)
            found[position.user.pk] = (position.role != Role.LEADER, position, block)
    ordered = sorted(found.values(), key=lambda t: (t[0], sort_key(t[1].user.get_full_name())))
    return [Signer(p.user, p.title or p.get_role_display(), block) for _d, p, block in ordered]


def check_signer(organ, user) -> Signer | None:
    """``user``'s signer entry for ``organ``, or a ``ValidationError`` at ``signer``."""
    if user is None:
        return None
    for signer in eligible_signers(organ):
        if signer.user.pk == user.pk:
            return signer
    raise ValidationError(
        {
            "signer": [
                _(
                    "Người ký phải là lãnh đạo hoặc cấp phó của cơ quan ban hành (Nghị định "
                    "30/2020/NĐ-CP, Điều 13)."
                )
            ]
        }
    )
