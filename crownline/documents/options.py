"""What a caller may ask to print: the sections of the order form, its paper, the label's size."""

from __future__ import annotations

from enum import StrEnum

from crownline.errors import InvalidInput
from crownline.tenancy.models import PaperSize


class Section(StrEnum):
    """Optional parts of the order form, in print order. The header is always printed."""

    PARTIES = "parties"  # customer, clinic and patient
    LINES = "lines"  # service lines, their tooth charts and the order's notes
    WORKPLAN = "workplan"  # the tasks as a checklist
    COMMENTS = "comments"
    HISTORY = "history"  # what happened, as the order page's history shows it to the reader
    PAYMENT = "payment"  # payment instructions and reference

    @property
    def label(self) -> str:
        """The section's name in the print dialog."""
        return _SECTION_LABELS[self]


_SECTION_LABELS = {
    Section.PARTIES: "Customer and patient", Section.LINES: "Services and tooth chart", Section.WORKPLAN: "Work plan",
    Section.COMMENTS: "Comments", Section.HISTORY: "History", Section.PAYMENT: "Payment instructions",
}


HEADER = "header"
ALL_SECTIONS: frozenset[Section] = frozenset(Section)
SECTION_NAMES = [HEADER, *(s.value for s in Section)]


class LabelSize(StrEnum):
    """Box labels: a Brother-style 62 mm continuous roll cut at 29 mm, or a 4 x 6 in shipping label."""

    SMALL = "62x29"
    SHIPPING = "4x6"


# CSS `@page { size: ... }` values; WeasyPrint makes the PDF's media box exactly this.
PAPER_CSS: dict[PaperSize, str] = {PaperSize.A4: "A4", PaperSize.LETTER: "letter"}
LABEL_CSS: dict[LabelSize, str] = {LabelSize.SMALL: "62mm 29mm", LabelSize.SHIPPING: "4in 6in"}


def parse_sections(raw: str | None) -> frozenset[Section]:
    """`parties,lines` -> those sections. Omitted means everything; empty means the header alone.

    "header" may be named although it is always printed, so a client can send what it shows.
    """
    if raw is None:
        return ALL_SECTIONS
    names = [name.strip().lower() for name in raw.split(",") if name.strip()]
    unknown = [name for name in names if name not in SECTION_NAMES]
    if unknown:
        raise InvalidInput(
            "sections", f"unknown section {', '.join(map(repr, unknown))}; allowed: {', '.join(SECTION_NAMES)}"
        )
    return frozenset(Section(name) for name in names if name != HEADER)


def parse_paper(raw: str | None) -> PaperSize | None:
    """The paper asked for; None (omitted) means the lab's own setting."""
    if raw is None:
        return None
    value = raw.strip().lower()
    if value not in PaperSize.values:
        raise InvalidInput("paper", f"unknown paper size {value!r}; allowed: {', '.join(PaperSize.values)}")
    return PaperSize(value)


def parse_label_size(raw: str | None) -> LabelSize:
    value = (raw or LabelSize.SMALL.value).strip().lower()
    allowed = [s.value for s in LabelSize]
    if value not in allowed:
        raise InvalidInput("size", f"unknown label size {value!r}; allowed: {', '.join(allowed)}")
    return LabelSize(value)
