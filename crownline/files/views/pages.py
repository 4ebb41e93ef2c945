"""Files on the order page: upload (multipart), download, preview, delete.

Every request is authorized on its own through the files access helper; a refusal shows the
order page again with the reason, the upload's own problems next to its field.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crownline.errors import DomainError
from crownline.files import access, downloads, services
from crownline.files.forms import UploadForm
from crownline.orders.views.order_page import order_page, refused
from crownline.pages import lab_page

DIALOG = "upload-file"  # the order page keeps a re-rendered form under this key


def _back(number: str) -> HttpResponse:
    return redirect(reverse("orders:detail", args=[number]) + "#files")


@lab_page
@require_POST
def upload(request: HttpRequest, number: str) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return order_page(request, number, status=200 if request.htmx else 422, dialog=DIALOG, form=form)
    try:
        # The checkbox is the lab's choice; the service ignores an unticked box of a customer.
        shared = form.cleaned_data["shared"] or None
        stored = services.upload_file(request.user, number, form.cleaned_data["file"], shared=shared)
    except DomainError as exc:
        return refused(request, number, exc, dialog=DIALOG, form=form)
    messages.success(request, f"“{stored.name}” added.")
    return _back(number)


@lab_page
@require_GET
def content(request: HttpRequest, number: str, file_id: int) -> HttpResponse:
    file, _, _ = access.get_file_for(request.user, number, file_id)
    return downloads.content_response(file)


@lab_page
@require_GET
def preview(request: HttpRequest, number: str, file_id: int) -> HttpResponse:
    file, _, _ = access.get_file_for(request.user, number, file_id)
    return downloads.preview_response(file)


@lab_page
@require_POST
def delete(request: HttpRequest, number: str, file_id: int) -> HttpResponse:
    try:
        file, _, _ = access.get_file_for(request.user, number, file_id)
        services.delete_file(request.user, number, file_id)
    except DomainError as exc:
        return refused(request, number, exc)
    messages.success(request, f"“{file.name}” deleted.")
    return _back(number)
