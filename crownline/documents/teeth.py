"""The FDI tooth chart as SVG path data: where each tooth sits and whether a line names it.

Laid out as a dentist reads a chart, facing the patient: the patient's right (quadrants 1
and 4) is on the left, upper jaw on top. Primary teeth (quadrants 5-8) get their own rows,
drawn only when a line names one, so most charts stay two rows high.

Tooth numbers are drawn as seven-segment strokes in a path, not as SVG text: WeasyPrint lays
out every SVG letter through Pango, and 64 numbers per line would double the time a form
takes to print. The chart is four paths whatever it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CELL = 10  # SVG user units per tooth (the stylesheet sets the chart's printed width)
BOX = CELL - 1  # the drawn box, leaving a one-unit gutter
GAP = 4  # space between the patient's right and left halves
PRINT_WIDTH_MM = 62  # readable tooth numbers, and still fits a Letter page's table column

# Seven-segment digits on a 2 x 4 grid: segment -> stroke from (x1, y1) to (x2, y2).
_SEGMENTS = {
    "a": (0, 0, 2, 0), "b": (2, 0, 2, 2), "c": (2, 2, 2, 4), "d": (0, 4, 2, 4),
    "e": (0, 2, 0, 4), "f": (0, 0, 0, 2), "g": (0, 2, 2, 2),
    "m": (1, 0, 1, 4),  # a centred "1": segments b and c would push it to the right edge
}
_DIGITS = {
    "0": "abcdef", "1": "m", "2": "abged", "3": "abgcd", "4": "fgbc",
    "5": "afgcd", "6": "afgedc", "7": "abc", "8": "abcdefg", "9": "abcdfg",
}
_DIGIT_W, _DIGIT_H, _DIGIT_GAP = 2, 4, 1


@dataclass(frozen=True)
class Tooth:
    number: int
    x: int
    y: int
    selected: bool


@dataclass(frozen=True)
class ToothChart:
    teeth: list[Tooth]
    width: int
    height: int

    @property
    def width_mm(self) -> float:
        return PRINT_WIDTH_MM

    @property
    def height_mm(self) -> float:
        # The viewBox has a one-unit margin on each side; keep the drawing's aspect ratio.
        return round(PRINT_WIDTH_MM * (self.height + 2) / (self.width + 2), 2)

    @property
    def midline_x(self) -> float:
        """Between the patient's right and left halves."""
        return 8 * CELL - 1 + (GAP + 1) / 2

    @property
    def jaw_y(self) -> float:
        """Between the upper and the lower jaw."""
        return self.height / 2 - 0.5

    # Path data for the template, which cannot pass arguments: boxes and numbers, plain and chosen.
    @property
    def boxes(self) -> str:
        return "".join(_box_path(t) for t in self.teeth if not t.selected)

    @property
    def chosen_boxes(self) -> str:
        return "".join(_box_path(t) for t in self.teeth if t.selected)

    @property
    def numbers(self) -> str:
        return "".join(_number_path(t) for t in self.teeth if not t.selected)

    @property
    def chosen_numbers(self) -> str:
        return "".join(_number_path(t) for t in self.teeth if t.selected)


def _box_path(tooth: Tooth) -> str:
    return f"M{tooth.x} {tooth.y}h{BOX}v{BOX}h-{BOX}z"


def _number_path(tooth: Tooth) -> str:
    text = str(tooth.number)
    width = len(text) * _DIGIT_W + (len(text) - 1) * _DIGIT_GAP
    left = tooth.x + (BOX - width) / 2
    top = tooth.y + (BOX - _DIGIT_H) / 2
    strokes = []
    for i, digit in enumerate(text):
        ox = left + i * (_DIGIT_W + _DIGIT_GAP)
        for seg in _DIGITS[digit]:
            x1, y1, x2, y2 = _SEGMENTS[seg]
            strokes.append(f"M{ox + x1:g} {top + y1:g}L{ox + x2:g} {top + y2:g}")
    return "".join(strokes)


def _row(right: int, left: int, count: int) -> list[int]:
    """One jaw's row: the right quadrant from the back tooth to the midline, then the left one."""
    return [right * 10 + t for t in range(count, 0, -1)] + [left * 10 + t for t in range(1, count + 1)]


PERMANENT_ROWS = (_row(1, 2, 8), _row(4, 3, 8))
PRIMARY_ROWS = (_row(5, 6, 5), _row(8, 7, 5))


def tooth_chart(selected: Iterable[int]) -> ToothChart:
    chosen = set(selected)
    rows = [PERMANENT_ROWS[0], PERMANENT_ROWS[1]]
    if any(t // 10 >= 5 for t in chosen):
        rows = [PERMANENT_ROWS[0], PRIMARY_ROWS[0], PRIMARY_ROWS[1], PERMANENT_ROWS[1]]
    teeth = []
    for r, row in enumerate(rows):
        half = len(row) // 2
        # Primary rows hold five teeth a side: centre them under the permanent ones.
        offset = (8 - half) * CELL
        for i, number in enumerate(row):
            x = offset + i * CELL + (GAP if i >= half else 0)
            teeth.append(Tooth(number=number, x=x, y=r * CELL, selected=number in chosen))
    return ToothChart(teeth=teeth, width=16 * CELL + GAP, height=len(rows) * CELL)
