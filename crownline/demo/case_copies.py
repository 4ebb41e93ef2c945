"""Demo data of copies, remakes and a changed customer (issue 13), made through the services."""

from __future__ import annotations

from crownline.customers.models import Customer
from crownline.orders import copying, customer_change, remakes
from crownline.orders.copying import CopyInput
from crownline.orders.remakes import RemakeInput
from crownline.tenancy.models import Lab


def seed_copies(lab: Lab, admin, tech, dentist) -> None:
    """After the orders and their files: a copied order, a remake, a changed customer."""
    mine = lab.orders.filter(customer__user=dentist).order_by("id")
    # The dentist repeats a completed case for a new patient, with the files shared with them.
    completed = mine.filter(status="completed").first()
    if completed is not None:
        shared = list(completed.files.filter(shared=True).values_list("id", flat=True))
        copying.copy_order(dentist, completed.number, CopyInput(patient_name="Lena Vogel (repeat)", files=shared))
    # The lab remakes a delivered crown that did not fit, at its own cost.
    delivered = mine.filter(status="delivered").first()
    if delivered is not None:
        remakes.remake_order(
            admin,
            delivered.number,
            RemakeInput(reason="fit", payer="lab", note="Tight contact on the mesial side; new impression attached."),
        )
    # A published order entered for the wrong dentist goes to Dr. Paul Paper.
    paper = Customer.objects.filter(lab=lab, name="Dr. Paul Paper").first()
    candidates = mine.filter(status="published", invoice_number="", amount_paid=0)
    moved = candidates.first()
    if paper is not None and moved is not None:
        customer_change.change_customer(admin, moved.number, customer=paper.pk)
