"""The REST API: one NinjaAPI, a router per app, and one error shape for every refusal."""

from __future__ import annotations

import pydantic_core
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from crownline.accounts.api import router as accounts_router
from crownline.auth import API_AUTH
from crownline.billing.api import router as billing_router
from crownline.bodylimit import too_big_message
from crownline.catalog.api import router as catalog_router
from crownline.customers.api import router as customers_router
from crownline.documents.api import router as documents_router
from crownline.errors import DomainError
from crownline.files.api import router as files_router
from crownline.invitations.api import router as invitations_router
from crownline.orders.api import case_copy, case_markers
from crownline.orders.api import router as orders_router
from crownline.outsourcing.api import router as outsourcing_router
from crownline.pricing.api import router as pricing_router
from crownline.schedule.api import router as schedule_router
from crownline.schemas import REQUIRED_HEADERS
from crownline.tenancy.api import router as tenancy_router
from crownline.workplan.api import router as workplan_router


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class JsonObjectParser(Parser):
    """Every request body of the API is a JSON object. Ninja's schemas read any other value
    (a string, a list) as an object without attributes, i.e. all defaults, and would accept it;
    refuse it here, as ninja refuses a body that is not JSON at all (400).

    No text we store may hold a NUL character: PostgreSQL refuses it (a 500 in the middle of
    a transaction), SQLite would keep it. Refused here for bodies (400) and query strings (422)."""

    def parse_body(self, request: HttpRequest) -> dict:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")  # ninja answers 400
        if _has_nul(data):
            raise ValueError("text may not contain NUL characters")
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        bad = [name for name, value in result.items() if _has_nul(name) or _has_nul(value)]
        if bad:
            raise ValidationError([{"loc": ("query", name), "msg": "may not contain NUL characters"} for name in bad])
        return result


# JSON Schema for "no NUL character", which the parser above refuses in every text.
NO_NUL = "^[^\\u0000]*$"


def _declare_no_nul(node: object) -> None:
    """Declare, on every text of the schema that has no pattern of its own, that it holds no NUL
    (the patterns the schemas declare exclude it already)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "format", "enum", "const"} & node.keys():
            node["pattern"] = NO_NUL
        for value in node.values():
            _declare_no_nul(value)
    elif isinstance(node, list):
        for value in node:
            _declare_no_nul(value)


class CompiledJsonRenderer(JSONRenderer):
    """JSON written by pydantic's compiled serializer instead of `json.dumps`.

    The response dicts are full of Decimals, dates and enums; `json.dumps` calls back into
    Python for each of them (about 700 per page of 50 orders), pydantic-core writes them
    itself. Anything it does not know goes to ninja's encoder, as before.
    """

    _fallback = staticmethod(NinjaJSONEncoder().default)

    def render(self, request: HttpRequest, data: object, *, response_status: int) -> bytes:
        return pydantic_core.to_json(data, fallback=self._fallback)


# Read by crownline.idempotency.middleware, which no ninja signature sees: documented here.
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "optional: a retry with the same key and body replays the first answer instead of acting "
    "again; the same key with another body is refused (422), a retry while the first runs too (409). "
    "Kept 24 hours per user.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}


class CrownlineAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                required = operation.pop(REQUIRED_HEADERS, ())
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "header" and parameter["name"] in required:
                        parameter["required"] = True
                    if parameter["in"] == "query":
                        _declare_no_nul(parameter["schema"])
                # The middleware acts only for a signed-in caller, so only on authenticated writes.
                if method in ("post", "patch") and operation.get("security"):
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
        for component in schema.get("components", {}).get("schemas", {}).values():
            _declare_no_nul(component)
        return schema


api = CrownlineAPI(
    title="Crownline API",
    version="1",
    description=(
        "Orders of a dental laboratory, from the dentist's draft to Completed. "
        "Authenticate with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`."
    ),
    auth=API_AUTH,
    urls_namespace="api-v1",
    parser=JsonObjectParser(),
    renderer=CompiledJsonRenderer(),
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = api.create_response(request, exc.body(), status=exc.status_code)
    if getattr(exc, "retry_after", None):  # a busy part of the server (Unavailable) says when to retry
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        # A multipart field's location ("form", "file") goes too, but only as the location: ("file", "file").
        loc = [str(p) for i, p in enumerate(err.get("loc", ()))
               if p not in ("body", "data", "query", "path", "header") and not (i == 0 and p in ("form", "file"))]
        errors.append({"field": ".".join(loc) or "body", "message": err.get("msg", "invalid")})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "invalid input"
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "Sign in first: send a bearer token."}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": body_too_big_message()}, status=413)


def body_too_big_message() -> str:
    return too_big_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)  # the pages' words (crownline/bodylimit.py)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja raises HttpError(400) for a body that is not JSON at all.
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("", accounts_router)
api.add_router("", tenancy_router)
api.add_router("", catalog_router)
api.add_router("", customers_router)
api.add_router("", pricing_router)
api.add_router("", billing_router)
api.add_router("", invitations_router)
api.add_router("", schedule_router)
api.add_router("", outsourcing_router)
api.add_router("/orders", orders_router)
api.add_router("/orders", case_copy.router)
api.add_router("/orders", case_markers.router)
api.add_router("/orders", files_router)
api.add_router("/orders", workplan_router)
api.add_router("/orders", documents_router)
