"""Pricebooks and exchange rates: the lab admin's, through the API (technicians 403, dentists
403, other labs 404)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Status

from crownline.customers.access import admin_lab
from crownline.errors import InvalidInput
from crownline.pricing import services
from crownline.pricing.arithmetic import PriceRule
from crownline.pricing.models import ExchangeRate, Pricebook
from crownline.pricing.schemas import Currency, Rate, RateOut
from crownline.schemas import (
    NOT_BLANK,
    PATCH_CONFIG,
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    ErrorOut,
    Id,
    In,
    LabSlug,
    Money,
    MoneyOut,
    Out,
    PathId,
)

router = Router(tags=["prices"])
ADMIN_READ = {**READ_ERRORS, 403: ErrorOut}


class PriceIO(In):
    service: Id
    rule: PriceRule = Field(
        description="percent_off (value: percent), amount_off or fixed_price "
        "(value: an amount in the lab's working currency)"
    )
    value: Money


class PriceOut(Out):
    service: int
    service_name: str
    rule: PriceRule
    value: MoneyOut


class PartyOut(Out):
    id: int
    name: str


class PricebookOut(Out):
    id: int
    name: str
    notes: str
    currency: str = Field(description="the lab's working currency, of the amounts in `prices`")
    prices: list[PriceOut]
    clinics: list[PartyOut]
    customers: list[PartyOut]


class PricebookIn(In):
    name: str = Field(min_length=1, max_length=100, json_schema_extra=NOT_BLANK)
    notes: str = Field("", max_length=1000)
    prices: list[PriceIO] = Field(default_factory=list, max_length=services.MAX_PRICES)
    clinics: list[Id] = Field(
        default_factory=list,
        max_length=services.MAX_LINKS,
        description="clinics priced by this pricebook (each by one pricebook at most)",
    )
    customers: list[Id] = Field(
        default_factory=list,
        max_length=services.MAX_LINKS,
        description="customers priced by it, whatever their clinic's pricebook",
    )


class PricebookPatchIn(In):
    model_config = PATCH_CONFIG

    name: str | None = Field(None, min_length=1, max_length=100, json_schema_extra=NOT_BLANK)
    notes: str | None = Field(None, max_length=1000)
    prices: list[PriceIO] | None = Field(None, max_length=services.MAX_PRICES)
    clinics: list[Id] | None = Field(None, max_length=services.MAX_LINKS)
    customers: list[Id] | None = Field(None, max_length=services.MAX_LINKS)


class RateIn(In):
    currency: Currency = Field(description="one of the lab's payment currencies, not its working currency")
    rate: Rate
    valid_on: Day


class RateRowOut(Out):
    id: int
    currency: str
    rate: RateOut = Field(description="1 unit of the lab's working currency in `currency`")
    valid_on: dt.date
    source: str
    recorded_by: str | None


def with_details(qs):
    """Pricebooks with their prices and links in four queries, however many there are."""
    return qs.select_related("lab").prefetch_related("prices__service", "links__clinic", "links__customer")


def fresh_out(book: Pricebook) -> dict:
    return pricebook_out(with_details(Pricebook.objects.filter(pk=book.pk)).get())


def pricebook_out(book: Pricebook) -> dict:
    links = list(book.links.all())
    return {
        "id": book.pk,
        "name": book.name,
        "notes": book.notes,
        "currency": book.lab.currency,
        "prices": [
            {"service": p.service_id, "service_name": p.service.name, "rule": p.rule, "value": p.value}
            for p in book.prices.all()
        ],
        "clinics": [{"id": ln.clinic.pk, "name": ln.clinic.name} for ln in links if ln.clinic_id],
        "customers": [{"id": ln.customer.pk, "name": ln.customer.name} for ln in links if ln.customer_id],
    }


def _input(data: PricebookIn | PricebookPatchIn, given: set[str]) -> services.PricebookInput:
    prices = None
    if "prices" in given and data.prices is not None:
        prices = [services.PriceInput(p.service, p.rule.value, p.value) for p in data.prices]
    return services.PricebookInput(
        name=data.name if "name" in given else None,
        notes=data.notes if "notes" in given else None,
        prices=prices,
        clinics=data.clinics if "clinics" in given else None,
        customers=data.customers if "customers" in given else None,
    )


def rate_out(row: ExchangeRate) -> dict:
    who = row.recorded_by.get_username() if row.recorded_by else None
    return {
        "id": row.pk,
        "currency": row.currency,
        "rate": row.rate,
        "valid_on": row.valid_on,
        "source": row.source,
        "recorded_by": who,
    }


@router.get("/labs/{slug}/pricebooks", response={200: list[PricebookOut], **ADMIN_READ})
def list_pricebooks(request: HttpRequest, slug: LabSlug):
    lab = admin_lab(request.user, slug)
    return [pricebook_out(b) for b in with_details(Pricebook.objects.filter(lab=lab))]


@router.post("/labs/{slug}/pricebooks", response={201: PricebookOut, **WRITE_ERRORS})
def create_pricebook(request: HttpRequest, slug: LabSlug, data: PricebookIn):
    admin_lab(request.user, slug)
    given = {"name", "notes", "prices", "clinics", "customers"}
    return Status(201, fresh_out(services.create_pricebook(request.user, slug, _input(data, given))))


@router.get("/labs/{slug}/pricebooks/{pricebook_id}", response={200: PricebookOut, **ADMIN_READ})
def read_pricebook(request: HttpRequest, slug: LabSlug, pricebook_id: PathId):
    admin_lab(request.user, slug)
    return fresh_out(services.pricebook_for(request.user, slug, pricebook_id)[1])


@router.patch("/labs/{slug}/pricebooks/{pricebook_id}", response={200: PricebookOut, **WRITE_ERRORS})
def update_pricebook(request: HttpRequest, slug: LabSlug, pricebook_id: PathId, data: PricebookPatchIn):
    admin_lab(request.user, slug)
    if not data.model_fields_set:
        raise InvalidInput("body", "nothing to change")
    book = services.update_pricebook(request.user, slug, pricebook_id, _input(data, data.model_fields_set))
    return fresh_out(book)


@router.delete("/labs/{slug}/pricebooks/{pricebook_id}", response={204: None, **WRITE_ERRORS})
def delete_pricebook(request: HttpRequest, slug: LabSlug, pricebook_id: PathId):
    """Its clinics and customers get list prices on new lines; no order is repriced."""
    admin_lab(request.user, slug)
    services.delete_pricebook(request.user, slug, pricebook_id)
    return Status(204, None)


@router.get("/labs/{slug}/exchange-rates", response={200: list[RateRowOut], **ADMIN_READ})
def list_rates(request: HttpRequest, slug: LabSlug):
    lab = admin_lab(request.user, slug)
    rows = ExchangeRate.objects.filter(lab=lab).select_related("recorded_by").order_by("currency", "-valid_on")
    return [rate_out(r) for r in rows[:1000]]


@router.post("/labs/{slug}/exchange-rates", response={201: RateRowOut, **WRITE_ERRORS})
def record_rate(request: HttpRequest, slug: LabSlug, data: RateIn):
    admin_lab(request.user, slug)
    row = services.record_rate(request.user, slug, services.RateInput(data.currency, data.rate, data.valid_on))
    return Status(201, rate_out(row))
