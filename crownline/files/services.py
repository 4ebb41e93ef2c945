"""The only code that writes files on orders: upload, delete, and copy to another order.

An upload is checked (the caller may attach to this order, the name, the size, the bytes
against the name) and stored *before* the order is locked: copying 200 MB into the storage
must not hold the order's row lock. The file's row and its history entry are then written
under the lock (`changes.acting`), where the order's limits are checked again; if that
fails, the stored bytes are removed. The preview is made after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum

from crownline.customers.access import lab_roles
from crownline.errors import Conflict, DomainError, Forbidden, InvalidInput
from crownline.files import previews, storing
from crownline.files.access import find_file, may_delete, visible_files
from crownline.files.models import OrderFile, PreviewState
from crownline.files.sniffing import Refused, Sniffed, clean_name, sniff
from crownline.orders import changes
from crownline.orders.access import authorize, get_order_for
from crownline.orders.lifecycle import Action, EventKind, Status
from crownline.orders.models import Order, OrderEvent

# A customer may take back a file of their own until the lab starts making the work from it.
CUSTOMER_DELETES_IN = frozenset({Status.DRAFT, Status.PUBLISHED})


class TooLarge(DomainError):
    """A file, or an order's files together, above the configured limit (413)."""

    status_code = 413

    def __init__(self, message: str, *, rule: str, limit: int) -> None:
        super().__init__(message, errors=[{"field": "file", "message": message}], rule=rule, limit=limit)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


def list_files(user, number: str) -> tuple[list[OrderFile], Order, Any]:
    order, standing = get_order_for(user, number)
    return list(visible_files(order, standing)), order, standing


def upload_file(user, number: str, upload: UploadedFile, *, shared: bool | None = None) -> OrderFile:
    """Attach one uploaded file to the order. `shared` is the lab's choice (internal by
    default); a customer's files are always shared with the lab and themselves."""
    order, standing = get_order_for(user, number)
    authorize(order, standing, Action.ATTACH_FILE)
    if not standing.is_staff and shared is False:
        raise InvalidInput("shared", "a customer's files are always shared with the lab")
    shared = True if not standing.is_staff else bool(shared)
    name = clean_name(upload.name or "")
    size = upload.size or 0
    if not name:
        raise InvalidInput("file", "the file has no name")
    _check_file_size(size, name)
    sniffed = _sniffed(upload, size, name)
    _check_room(order, size)
    stored, sha256 = storing.store(upload.file, storing.storage_name(order, _extension(sniffed)), size)
    try:
        with changes.acting(user, number, Action.ATTACH_FILE) as change:
            _check_room(change.order, size)  # again, under the lock: two uploads at once
            file = OrderFile.objects.create(
                order=change.order,
                name=name,
                kind=sniffed.kind,
                type=sniffed.type,
                content_type=sniffed.content_type,
                size=size,
                sha256=sha256,
                storage_name=stored,
                shared=shared,
                uploaded_by=user,
                preview_state=_first_state(sniffed.kind),
            )
            changes.commit(change, EventKind.FILE_ADDED, data={"file": file.pk, "name": name, "shared": shared})
            if previews.needs_preview(file.kind):
                previews.schedule(file.pk)
    except BaseException:
        storing.forget(stored)
        raise
    return file


def delete_file(user, number: str, file_id: int) -> None:
    """Remove a file from its order: the lab any file, a customer a file they uploaded while
    the order is a draft or published. The bytes go once the removal has committed."""
    with changes.acting(user, number, Action.DELETE_FILE) as change:
        file = find_file(change.order, change.standing, file_id)
        if not may_delete(file, change.standing, user):
            raise Forbidden("A customer may delete only the files they uploaded.")
        if not change.standing.is_staff and change.status not in CUSTOMER_DELETES_IN:
            raise Conflict(
                f"The order is {change.status.value} and the lab works from this file: ask the lab to remove it."
            )
        names = (file.storage_name, file.preview_name)
        data = {"file": file.pk, "name": file.name, "shared": file.shared}
        file.delete()
        changes.commit(change, EventKind.FILE_REMOVED, data=data)
        transaction.on_commit(lambda: storing.forget(*names))


def copy_files(
    source: Order, target: Order, file_ids: Iterable[int], *, user, shared_only: bool = False
) -> list[OrderFile]:
    """Copy files of `source` onto `target` (a copy, a remake, an order sent to a partner lab).

    Each copy gets its own stored bytes, so deleting one never touches the other. Ids not on
    the source (or internal ones, with `shared_only`) are refused, naming the field `files`.
    Runs inside the caller's transaction; `target`'s history records each file it received.
    """
    ids = list(dict.fromkeys(file_ids))
    if not ids:
        return []
    if any(not isinstance(i, int) or isinstance(i, bool) for i in ids):
        raise InvalidInput("files", "name the files by their ids")
    files = OrderFile.objects.filter(order=source, pk__in=ids)
    if shared_only:
        files = files.filter(shared=True)
    found = {f.pk: f for f in files}
    if missing := [i for i in ids if i not in found]:
        raise InvalidInput("files", f"order {source.display_number} has no file {missing[0]}")
    standing = lab_roles(user).get(target.lab_id)
    copies, events = [], []
    for original in (found[i] for i in ids):
        copy = _copy_one(original, target, user)
        copies.append(copy)
        events.append(
            OrderEvent(
                order=target,
                actor=user,
                actor_role=standing.role.value if standing else "",
                action=EventKind.FILE_ADDED.value,
                from_status=target.status,
                to_status=target.status,
                data={"file": copy.pk, "name": copy.name, "shared": copy.shared, "copied_from": source.number},
            )
        )
    OrderEvent.objects.bulk_create(events)
    return copies


def _copy_one(original: OrderFile, target: Order, user) -> OrderFile:
    stored = storing.copy(original.storage_name, storing.storage_name(target, original.storage_name.rpartition(".")[2]))
    preview, state = "", original.preview_state
    if state == PreviewState.READY and original.preview_name:
        preview = storing.copy(original.preview_name, f"previews/{stored.rpartition('/')[2]}.png")
    elif state != PreviewState.NONE:
        state = PreviewState.PENDING
    copy = OrderFile.objects.create(
        order=target,
        name=original.name,
        kind=original.kind,
        type=original.type,
        content_type=original.content_type,
        size=original.size,
        sha256=original.sha256,
        storage_name=stored,
        shared=original.shared,
        uploaded_by=user,
        preview_name=preview,
        preview_state=state,
    )
    if state == PreviewState.PENDING:
        previews.schedule(copy.pk)
    return copy


def _sniffed(upload: UploadedFile, size: int, name: str) -> Sniffed:
    try:
        return sniff(upload.file, size, name)
    except Refused as exc:
        raise InvalidInput("file", str(exc)) from exc


def _extension(sniffed: Sniffed) -> str:
    return {"jpeg": "jpg"}.get(sniffed.type, sniffed.type)


def _first_state(kind: str) -> str:
    return PreviewState.PENDING if previews.needs_preview(kind) else PreviewState.NONE


def _check_file_size(size: int, name: str) -> None:
    limit = settings.CROWNLINE_MAX_FILE_BYTES
    if size > limit:
        raise TooLarge(
            f"“{name}” is {_megabytes(size)}; a file may be at most {_megabytes(limit)}.",
            rule="max-file-bytes",
            limit=limit,
        )
    if size == 0:
        raise InvalidInput("file", "the file is empty")


def _check_room(order: Order, size: int) -> None:
    """The order's files together stay under CROWNLINE_MAX_ORDER_FILES_BYTES, and their number
    under CROWNLINE_MAX_FILES_PER_ORDER (every page of the order lists them all)."""
    held = OrderFile.objects.filter(order=order).aggregate(n=Sum("size"))["n"] or 0
    limit = settings.CROWNLINE_MAX_ORDER_FILES_BYTES
    if held + size > limit:
        # Not how much the order holds: a customer does not see the lab's internal files.
        raise TooLarge(
            f"this file does not fit: the files of one order may take at most {_megabytes(limit)}.",
            rule="max-order-files-bytes",
            limit=limit,
        )
    count_limit = settings.CROWNLINE_MAX_FILES_PER_ORDER
    if OrderFile.objects.filter(order=order).count() >= count_limit:
        raise Conflict(
            f"This order has {count_limit} files, the most one order may hold; delete one first.",
            rule="max-files-per-order",
            limit=count_limit,
        )
