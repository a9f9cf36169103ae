import pytest

from congso.payments.lifecycle import TRANSITIONS, PaymentState, TransitionRefused, check


def test_settling_only_from_pending():
    assert check("pending", "pay") == PaymentState.PAID
    assert check("pending", "cancel") == PaymentState.CANCELLED
    assert check("pending", "fail") == PaymentState.FAILED
    for state in ("paid", "failed", "cancelled", "refunded"):
        with pytest.raises(TransitionRefused):
            check(state, "pay")


def test_refund_only_after_payment():
    assert check("paid", "refund") == PaymentState.REFUNDED
    for state in ("pending", "failed", "cancelled"):
        with pytest.raises(TransitionRefused):
            check(state, "refund")


def test_unknown_action_is_refused():
    with pytest.raises(TransitionRefused):
        check("pending", "steal")


def test_failed_and_cancelled_are_final():
    assert not [k for k in TRANSITIONS if k[0] in ("failed", "cancelled")]
