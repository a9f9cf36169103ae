"""An organ with its people and keys: the district (issuer), its office (VP, where the clerk
sits), a department drafting, two communes with their clerks; a demo PKI with the leader's
personal certificate (its key at the demo CA's remote service) and the district's seal."""

import pytest

from congso.accounts.models import Role
from congso.demo import signing as signing_demo
from congso.demo.documents import signed_on_demo_phone
from congso.notify.tests.conftest import sms_sink, smtp_server, smtp_settings  # noqa: F401
from congso.org.models import UnitKind
from congso.org.services import create_unit
from congso.signing.tests import support

from .. import services


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, celery_eager):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office(tree):
    return create_unit(
        parent=tree["district"],
        name="Văn phòng HĐND và UBND huyện",
        kind=UnitKind.DEPARTMENT,
        agency_id="000.31.01.T01",
        symbol="VP",
    )


@pytest.fixture
def people(tree, office, official_at):
    tree["district"].symbol = "UBND"
    tree["district"].save()
    return {
        "specialist": official_at(tree["department"], Role.SPECIALIST, full_name="Phạm Văn Pháp"),
        "leader": official_at(tree["district"], Role.LEADER, full_name="Nguyễn Văn Lãnh"),
        "clerk": official_at(office, Role.CLERK, full_name="Trần Thị Thư"),
        "clerk_a": official_at(tree["commune_a"], Role.CLERK, full_name="Lê Thị Văn"),
        "leader_a": official_at(tree["commune_a"], Role.LEADER, full_name="Hoàng Văn Long"),
        "specialist_a": official_at(tree["commune_a"], Role.SPECIALIST, full_name="Đặng Thị Hộ"),
        "clerk_b": official_at(tree["commune_b"], Role.CLERK, full_name="Võ Thị Bình"),
    }


@pytest.fixture
def keys(people, tree):
    _root, intermediate = signing_demo.ensure_authorities()
    return {
        "leader": signing_demo.issue_for_user(people["leader"], intermediate),
        "seal": signing_demo.issue_for_unit(tree["district"], intermediate).key,
        "root_pem": _root_pem(),
    }


def _root_pem() -> str:
    from congso.signing.models import Certificate

    return Certificate.objects.get(is_trust_anchor=True).pem


@pytest.fixture
def pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(text="Quyet dinh thu", name="du-thao.pdf"):
        return SimpleUploadedFile(name, support.simple_pdf(text), "application/pdf")

    return make


@pytest.fixture
def draft(people, tree, pdf_upload):
    def make(doc_type="QĐ", subject="Về việc kiện toàn tổ công nghệ số cộng đồng", **extra):
        fields = {
            "unit": tree["district"],
            "doc_type": doc_type,
            "subject": subject,
            "drafting_unit": tree["department"],
            "signer_position": "Chủ tịch",
            "recipient_units": [tree["commune_a"]],
            **extra,
        }
        upload = fields.pop("upload", pdf_upload())
        return services.create_outgoing(
            services.Draft(**fields), actor=people["specialist"], upload=upload
        )

    return make


@pytest.fixture
def issued(draft, people, keys):
    """Drive a draft through the whole outgoing lifecycle."""

    def make(**extra):
        document = draft(**extra)
        for name, who in (("submit", "specialist"), ("approve", "leader")):
            document = services.transition(document, name, actor=people[who])
        document = signed_on_demo_phone(document, people["leader"])
        return services.transition(document, "issue", actor=people["clerk"])

    return make
