"""Who sees which file of an order, and who may delete it: the one place both doors ask.

A file is reached through its order: an order the caller cannot see is 404 (the orders
access helper), and so is a file of another order, or an internal file asked for by a
customer. "Missing" and "not yours" are never told apart.
"""

from __future__ import annotations

from django.db.models import QuerySet

from crownline.errors import NotFound
from crownline.files.models import OrderFile
from crownline.orders.access import get_order_for
from crownline.orders.models import Order
from crownline.roles import LabRole

NO_SUCH_FILE = "No such file on this order."


def visible_files(order: Order, standing: LabRole) -> QuerySet[OrderFile]:
    """The order's files this caller may see: all of them for the lab, the shared ones for the customer."""
    files = OrderFile.objects.filter(order=order).select_related("uploaded_by")
    return files if standing.is_staff else files.filter(shared=True)


def find_file(order: Order, standing: LabRole, file_id: int) -> OrderFile:
    file = visible_files(order, standing).filter(pk=file_id).first()
    if file is None:
        raise NotFound(NO_SUCH_FILE)
    return file


def get_file_for(user, number: str, file_id: int) -> tuple[OrderFile, Order, LabRole]:
    """The file as this user may see it, with its order and the user's role in the order's lab."""
    order, standing = get_order_for(user, number)
    return find_file(order, standing, file_id), order, standing


def may_delete(file: OrderFile, standing: LabRole, user) -> bool:
    """Lab staff may delete any file of their lab's orders; a customer only a file they uploaded."""
    return standing.is_staff or (file.uploaded_by_id is not None and file.uploaded_by_id == user.pk)
