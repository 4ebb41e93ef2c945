"""Gapless invoice and credit note numbers: per lab, per year and per kind.

The next number is taken from the `InvoiceSequence` row under a row lock, in the transaction
that inserts the document. A second invoice of the same lab and year waits on that lock until
the first commits (and then reads its number) or rolls back (and then reuses it): numbers are
never skipped nor given twice. On SQLite, writers are serialised by IMMEDIATE transactions.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from crownline.billing.models import DocumentKind, InvoiceSequence
from crownline.tenancy.models import Lab


def document_number(lab: Lab, kind: DocumentKind, year: int, sequence: int) -> str:
    """LAB-A-2026-0007 for an invoice, LAB-A-2026-CN0002 for a credit note.

    Read from the right, a number is unambiguous: the sequence (with "CN" for a credit note),
    the year, then the lab's slug. A kind marker beside the slug ("LAB-A-CN-2026-0002") would be
    the invoice number of a lab whose slug is "lab-a-cn"."""
    marker = "CN" if kind == DocumentKind.CREDIT_NOTE else ""
    return f"{lab.slug.upper()}-{year}-{marker}{sequence:04d}"


def take_next(lab: Lab, kind: DocumentKind, year: int) -> int:
    """The next sequence number of this lab, kind and year, locked until the caller's
    transaction ends. Call inside `transaction.atomic()`, right before inserting the document."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take an invoice number inside the transaction that writes the invoice")
    sequences = InvoiceSequence.objects.select_for_update().filter(lab=lab, kind=kind, year=year)
    sequence = sequences.first()
    if sequence is None:
        # The year's first document. Two first documents at once both find no row: one insert
        # wins, the other's fails on the unique constraint (inside a savepoint, so the outer
        # transaction goes on) and it then waits for the winner's row like any later invoice.
        try:
            with transaction.atomic():
                InvoiceSequence.objects.create(lab=lab, kind=kind, year=year, last=0)
        except IntegrityError:
            pass
        sequence = sequences.get()
    InvoiceSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    return sequence.last + 1
