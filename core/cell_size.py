"""How much room a cell's text takes in a spreadsheet: for row heights written with the file.

Excel fits a row to its wrapped text only while nobody has set the row's height, and never for a
merged cell; LibreOffice and WPS do not fit stored rows at all. A workbook that must print with
nothing cut or overlapping therefore carries its row heights, computed here when it is written.

Widths are in Excel's column-width unit, the width of a digit of the workbook's body font (宋体):
a Chinese character or any other non-ASCII character counts 2, a digit, Latin letter, ASCII mark
or space 1. Measured in LibreOffice (宋体 11 pt drawn as Noto Serif CJK): a column of width 20
holds 10 Chinese characters or 20 digits a line; a Chinese character is 1.79 units there and 1.83
in Excel's 宋体, so counting 2 may leave a row a little tall, never short.

Lines wrap as the spreadsheet wraps them: Chinese anywhere, Latin words and numbers whole (broken
only when longer than the line), at each line break of the text; a mark that may not begin a line
(，。、) takes the character before it down with it.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

PADDING = 1.0  # of a column's width, not available to text (the cell's left and right margins)
LINE_HEIGHT = 1.45  # a line, in font sizes: CJK fonts' ascent + descent (Noto CJK 1.44, SimSun 1.3)
ROW_PADDING = 6.0  # points: above the first line and below the last
NO_LINE_START = frozenset("，、。；：？！”’）》」』〉】…—,.;:?!)]}%")
# A run of printable ASCII that is not a space (a word, a number, "1.5%"), a space, or a run of
# other characters (Chinese text, full-width marks: 2 units each).
_TOKEN = re.compile(r"[!-~]+|\s|[^!-~\s]+")


def text_width(text: str) -> int:
    """The width of ``text`` on one line: 2 a non-ASCII character, 1 an ASCII one."""
    return 2 * len(text) - len(text.encode("ascii", "ignore"))


@lru_cache(maxsize=4096)  # a workbook repeats its names, items and states
def wrap_lines(text: str, width: float) -> int:
    """The lines ``text`` takes in a wrapped cell ``width`` units wide (at least 1)."""
    usable = max(width - PADDING, 2.0)
    lines = 0
    for paragraph in str(text).split("\n"):
        if text_width(paragraph) <= usable:
            lines += 1
        else:
            lines += _wrap(paragraph, usable)
    return max(lines, 1)


def _wrap(paragraph: str, usable: float) -> int:
    """Greedy, as the spreadsheet wraps: a line per token that does not fit, with the exceptions in
    the module's docstring. A run of Chinese text goes a line at a time, not a character at a time
    (the 20,000 rows of a province's 问题清单)."""
    lines, x, last = 1, 0, 0  # x: the width used on this line; last: the width of its last token
    for token in _TOKEN.findall(paragraph):
        if token.isspace():
            w = text_width(token)
            if x + w <= usable:
                x, last = x + w, 0
            else:  # a space at the end of a line is not carried over
                lines, x, last = lines + 1, 0, 0
        elif token.isascii():
            w = len(token)
            if x + w <= usable:
                x, last = x + w, w
            elif token[0] in NO_LINE_START and last and last + w <= usable:
                lines, x, last = lines + 1, last + w, w
            elif w <= usable:
                lines, x, last = lines + 1, w, w
            else:  # a word longer than a line: on a line of its own, broken anywhere
                if x:
                    lines, x = lines + 1, 0
                lines += (x + w - 1) // int(usable)
                x = last = (x + w - 1) % int(usable) + 1
        else:
            i, n = 0, len(token)
            while True:
                room = int((usable - x) // 2)  # characters that still fit this line
                if n - i <= room:
                    x, last = x + 2 * (n - i), 2
                    break
                if room:
                    x, last, i = x + 2 * room, 2, i + room
                # token[i] does not fit: a new line, which a mark may not begin alone
                if token[i] in NO_LINE_START and last and last + 2 <= usable:
                    lines, x, last, i = lines + 1, last + 2, 2, i + 1
                else:
                    lines, x, last, i = lines + 1, 2, 2, i + 1
    return lines


def row_height(lines: int, font_size: float) -> float:
    """Points for ``lines`` lines of ``font_size`` pt text, margins included (whole quarter points)."""
    return math.ceil((max(lines, 1) * font_size * LINE_HEIGHT + ROW_PADDING) * 4) / 4
