"""The demo issues real results where it issues results: drafted from the example declaration,
numbered in their register and signed with the commune's seal."""

import pytest

from congso.demo import history
from congso.demo import onestop as onestop_demo
from congso.demo import signing as signing_demo
from congso.onestop.models import Result
from congso.signing import services as signing

pytestmark = pytest.mark.slow


@pytest.fixture
def district(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    signing_demo.load(demo)
    return demo


def test_demo_results_are_signed_templates_with_register_numbers(district):
    units = [u for u in district["units"].values() if u.short_name == "Xã Nghi Long"]
    history.generate(150, localities=units, seed=7)
    issued = onestop_demo.issue_results(district)
    assert issued, "the demo history has finished dossiers"
    for result in issued:
        result = Result.objects.get(pk=result.pk)
        assert result.generated and result.templates and result.signed, result.unsigned_reason
        assert result.values and result.issued_at == result.dossier.finished_at
    birth = [r for r in issued if r.dossier.procedure.code == "1.001193"]
    for result in birth:
        assert result.register["number"] >= 1 and result.values["child_name"]
    # the chairman's decisions carry his own signature (the demo CA's phone) under the seal
    decisions = [r for r in issued if r.dossier.version.result_signed_by_leader]
    assert decisions, "the demo flags the chairman's decisions"
    for result in decisions:
        result = Result.objects.get(pk=result.pk)
        reports = signing.verify_pdf(result.signed_file.file.read())
        assert [r.intact for r in reports] == [True, True] and result.awaiting_signer is None
