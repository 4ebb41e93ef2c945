"""Bounded request bodies on every request, pages and API alike.

Why a page could be sent 40 MB: Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` counts only what it
holds in memory, the body the API reads as JSON and the non-file fields of a form. The file
parts of a multipart body are streamed to upload handlers, kept in memory up to
`FILE_UPLOAD_MAX_MEMORY_SIZE` (2.5 MB by default) and written to a temporary file beyond, without
any limit. Every page POST reads its form (the CSRF check alone does: `request.POST`), so a
40 MB "file" sent to the sign-in page was read in full and written to disk before the answer.

`BodyLimitMiddleware` sits before anything that reads a body and refuses, with 413 and a
message that says the limit:

- a body whose `Content-Length` is above `CROWNLINE_MAX_BODY_BYTES`, before reading a byte of it;
- a body that turns out longer while it is read, when the server handed it over without a
  length (Django's WSGI handler reads nothing then, but an ASGI server or a future Django that
  honours `wsgi.input_terminated` would stream it): the stream stops at the limit.

Django's own limits (settings.py) bound the rest: the number of fields and files, and the
size of what is held in memory. `refused_body` answers those with 413 or 400 and a reason
(`handler400` in crownline/urls.py).

One limit serves every route but the two that upload a file to an order (the API's and the
order page's): those take one file of up to `CROWNLINE_MAX_FILE_BYTES` plus room for the
multipart framing (`max_body_bytes`). Their file part is streamed to a temporary file by
Django's upload handlers; the files service then checks the file's own size and the order's.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import bad_request

API_PREFIX = "/api/"
OVERFLOW_FLAG = "_crownline_body_overflowed"


# The upload routes: POST /api/v1/orders/<number>/files and the order page's upload form.
UPLOAD_PATH = re.compile(r"^(/api/v1)?/orders/[^/]+/files/?$")
# The multipart framing around the file: boundaries, part headers, the `shared` field.
UPLOAD_OVERHEAD = 64 * 1024


def is_upload(request: HttpRequest) -> bool:
    return request.method == "POST" and UPLOAD_PATH.match(request.path) is not None


def max_body_bytes(request: HttpRequest) -> int:
    """How large a body this request may send: one file's worth on the upload routes only."""
    if is_upload(request):
        return max(settings.CROWNLINE_MAX_FILE_BYTES + UPLOAD_OVERHEAD, settings.CROWNLINE_MAX_BODY_BYTES)
    return settings.CROWNLINE_MAX_BODY_BYTES


def too_big_message(limit: int) -> str:
    if limit >= 10 * 1024 * 1024:  # an upload route's limit reads better in MB
        return f"The request body is larger than {limit // (1024 * 1024)} MB, the most this server accepts."
    return f"The request body is larger than {limit // 1024} KB, the most this server accepts."


def _answer(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(
        f"<!doctype html><title>Request refused</title><h1>Request refused</h1><p>{message}</p>",
        status=status,
        content_type="text/html; charset=utf-8",
    )


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django then reads no body at all; the capped stream guards it anyway


class CappedStream(io.RawIOBase):
    """A request's input that refuses to hand out more than `limit` bytes (and says so on the request)."""

    def __init__(self, stream, limit: int, request: HttpRequest) -> None:
        super().__init__()
        self._stream = stream
        self._limit = self._left = limit
        self._request = request

    def _take(self, data: bytes) -> bytes:
        self._left -= len(data)
        if self._left < 0:
            setattr(self._request, OVERFLOW_FLAG, True)
            raise RequestDataTooBig(too_big_message(self._limit))
        return data

    def read(self, size: int | None = -1) -> bytes:
        # Ask for one byte past what is left, so a body of exactly the limit still passes.
        wanted = self._left + 1 if size is None or size < 0 else min(size, self._left + 1)
        return self._take(self._stream.read(wanted))

    def readline(self, size: int | None = -1) -> bytes:
        wanted = self._left + 1 if size is None or size < 0 else min(size, self._left + 1)
        return self._take(self._stream.readline(wanted))

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._stream.close()
        super().close()


class BodyLimitMiddleware:
    """Refuses an oversize body with 413, early by its length or as soon as it runs over."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = max_body_bytes(request)
        if _declared_length(request) > limit:
            return _answer(request, 413, too_big_message(limit))
        stream = getattr(request, "_stream", None)
        if stream is not None:
            # Django reads every body through request._stream (WSGI and ASGI alike).
            request._stream = CappedStream(stream, limit, request)
        try:
            response = self.get_response(request)
        except RequestDataTooBig:
            # Django's handler turns it into a 400 before it gets here; a bare test does not.
            if not getattr(request, OVERFLOW_FLAG, False):
                raise
            return _answer(request, 413, too_big_message(limit))
        if getattr(request, OVERFLOW_FLAG, False):
            # Whoever was reading got RequestDataTooBig and answered with something generic.
            return _answer(request, 413, too_big_message(limit))
        return response


def refused_body(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """`handler400`: Django's body limits get an answer that names them; anything else Django's own."""
    if isinstance(exception, RequestDataTooBig):
        return _answer(request, 413, too_big_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
    if isinstance(exception, TooManyFieldsSent):
        return _answer(request, 400, f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields.")
    if isinstance(exception, TooManyFilesSent):
        return _answer(request, 400, f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files.")
    return bad_request(request, exception)
