from congso.payments import demo as payments_demo
from congso.payments import services
from congso.payments.models import Payment


def test_demo_pays_recent_online_dossiers_once(demo, citizen, file_dossier):
    dossiers = [file_dossier(citizen) for _ in range(4)]
    payments_demo.load(demo)
    orders = list(Payment.objects.all())
    assert orders and all(p.state in ("paid", "cancelled") for p in orders)
    assert any(services.status_for(d) == "paid" for d in dossiers)
    assert all(p.transaction_no for p in orders if p.state == "paid")
    payments_demo.load(demo)
    assert Payment.objects.count() == len(orders)
