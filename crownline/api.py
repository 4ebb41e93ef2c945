"""The REST API: one NinjaAPI, a router per app, and one error shape for every refusal."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from crownline.auth import API_AUTH
from crownline.errors import DomainError

api = NinjaAPI(
    title="Crownline API",
    version="1",
    description=(
        "Orders of a dental laboratory, from the dentist's draft to Completed. "
        "Authenticate with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`."
    ),
    auth=API_AUTH,
    urls_namespace="api-v1",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.body(), status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "data", "query", "path", "header")]
        errors.append({"field": ".".join(loc) or "body", "message": err.get("msg", "invalid")})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "invalid input"
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "Sign in first: send a bearer token."}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja raises HttpError(400) for a body that is not JSON at all.
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register() -> None:
    from crownline.catalog.api import router as catalog
    from crownline.customers.api import router as customers
    from crownline.orders.api import router as orders
    from crownline.tenancy.api import router as tenancy
    from crownline.workplan.api import router as workplan

    api.add_router("", tenancy)
    api.add_router("", catalog)
    api.add_router("", customers)
    api.add_router("/orders", orders)
    api.add_router("/orders", workplan)


_register()
