"""Files on an order: list, upload (multipart), read, download, preview, delete."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from crownline.files import access, downloads, services
from crownline.files.presenting import file_out
from crownline.files.schemas import FileOut
from crownline.orders.access import normalise_number
from crownline.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, PathId

router = Router(tags=["files"])

UPLOAD_ERRORS = {**WRITE_ERRORS, 413: ErrorOut}
# The bytes of any type the file is (its detected content type), or a PNG preview.
BINARY = {
    200: {"description": "the file's bytes", "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}
}
PNG = {
    200: {"description": "a PNG preview", "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}
}


@router.get("/{number}/files", response={200: list[FileOut], **READ_ERRORS})
def list_files(request: HttpRequest, number: str):
    files, order, _ = services.list_files(request.user, number)
    return [file_out(f, order.number) for f in files]


@router.post(
    "/{number}/files",
    response={201: FileOut, **UPLOAD_ERRORS},
    description="Upload one file as multipart/form-data: `file` (a scan: STL, PLY, OBJ, 3MF; a photo: JPEG, "
    "PNG, HEIC; a PDF or a ZIP), whose content must be what its name says (else 422), and for lab staff "
    "`shared` (shared with the customer; internal to the lab by default). 413 past the size limits.",
)
def upload_file(request: HttpRequest, number: str, file: File[UploadedFile], shared: Form[bool | None] = None):
    stored = services.upload_file(request.user, number, file, shared=shared)
    return Status(201, file_out(stored, normalise_number(number)))


@router.get("/{number}/files/{file_id}", response={200: FileOut, **READ_ERRORS})
def get_file(request: HttpRequest, number: str, file_id: PathId):
    file, order, _ = access.get_file_for(request.user, number, file_id)
    return file_out(file, order.number)


@router.delete("/{number}/files/{file_id}", response={204: None, **WRITE_ERRORS})
def delete_file(request: HttpRequest, number: str, file_id: PathId):
    services.delete_file(request.user, number, file_id)
    return Status(204, None)


@router.get(
    "/{number}/files/{file_id}/content", response={200: None, **READ_ERRORS}, openapi_extra={"responses": BINARY}
)
def file_content(request: HttpRequest, number: str, file_id: PathId):
    file, _, _ = access.get_file_for(request.user, number, file_id)
    return downloads.content_response(file)


@router.get(
    "/{number}/files/{file_id}/preview.png", response={200: None, **READ_ERRORS}, openapi_extra={"responses": PNG}
)
def file_preview(request: HttpRequest, number: str, file_id: PathId):
    file, _, _ = access.get_file_for(request.user, number, file_id)
    return downloads.preview_response(file)
