"""Lab names people can tell apart.

A person picks the lab they order from by its name in the lab switcher. A lab named like
another lab of that person (" Demo Dental Lab" with a leading space, "DEMO DENTAL LAB",
full-width letters, a zero-width space) could catch orders meant for the real one. So a
name is trimmed, holds no control or invisible format characters, and is unique, after
folding, within each person's list of labs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.db.models import Q

from crownline.errors import InvalidInput
from crownline.tenancy.models import Lab

# Control (Cc), format (Cf: zero-width and bidi overrides), surrogate, private use,
# unassigned, and line/paragraph separators: none prints as what it is in a list of names.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def clean_lab_name(raw: str) -> str:
    """The name to store: trimmed; 422 on `name` when empty or holding an invisible character."""
    name = raw.strip()
    if not name:
        raise InvalidInput("name", "a lab needs a name")
    if any(unicodedata.category(ch) in _INVISIBLE for ch in name):
        raise InvalidInput("name", "a lab name may not contain control or invisible characters")
    return name


def name_key(name: str) -> str:
    """What two names must differ in to be told apart: NFKC, case-folded, spaces collapsed.

    NFKC folds compatibility look-alikes (full-width letters, ligatures, superscripts);
    confusables across scripts (a Cyrillic "a") are beyond a cheap rule and stay distinct.
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def people_of(lab: Lab) -> set[int]:
    """Every login linked to the lab: its members (active or not, a reactivation would bring the
    lab back into their list) and its customers with a login.

    The customers app sits above tenancy, so its rows are reached through the reverse relation
    the Customer model adds to Lab, without importing it.
    """
    members = lab.memberships.values_list("user_id", flat=True)
    customers = lab.customers.exclude(user=None).values_list("user_id", flat=True)  # type: ignore[attr-defined]
    return set(members) | set(customers)


def labs_of(user_ids: Iterable[int], *, excluding: int | None = None) -> list[Lab]:
    """The labs the logins are linked to (as staff, active or not, or as customers)."""
    ids = list(user_ids)
    if not ids:
        return []
    labs = Lab.objects.filter(Q(memberships__user_id__in=ids) | Q(customers__user_id__in=ids)).distinct()
    if excluding is not None:
        labs = labs.exclude(pk=excluding)
    return list(labs)


def refuse_rename_clash(lab: Lab, name: str) -> None:
    """422 on `name` when someone linked to the lab already sees another lab of that name.

    The message names no person and no lab: the admin learns only that the name is taken
    for someone of theirs, which is what they need to pick another.
    """
    key = name_key(name)
    if any(name_key(other.name) == key for other in labs_of(people_of(lab), excluding=lab.pk)):
        raise InvalidInput(
            "name", "someone who works with this lab already works with another lab of this name; "
            "choose a name they can tell apart")


def clashing_lab(user_id: int, lab: Lab) -> Lab | None:
    """Another lab of the login whose name cannot be told apart from `lab`'s, if any."""
    key = name_key(lab.name)
    return next((other for other in labs_of([user_id], excluding=lab.pk) if name_key(other.name) == key), None)
