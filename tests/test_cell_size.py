"""core.cell_size: the room a cell's text takes, for the row heights a workbook carries."""

import random

import pytest

from core.cell_size import NO_LINE_START, PADDING, row_height, text_width, wrap_lines


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("", 0),
        ("青山县", 6),
        ("2022", 4),
        ("扣1.5分", 7),
        ("总分（满分100分）", 17),  # full-width parentheses count 2
        ("“五个必须”", 12),  # so do Chinese quotation marks
        ("a b", 3),
    ],
)
def test_text_width_counts_full_width_characters_double(text, width):
    assert text_width(text) == width


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("", 10, 1),  # an empty cell still has its line
        ("青山县", 7, 1),  # 6 units in the 6 a width of 7 leaves
        ("青山县", 6, 2),
        ("一二三四五六七八九十" * 2, 41, 1),
        ("一二三四五六七八九十" * 2, 21, 2),  # 10 characters a line
        ("一二三四五六七八九十" * 2, 20, 3),  # 9 (LibreOffice fits 10: a row may be a little tall)
        ("一二三四五六七八九十" * 2, 11, 4),  # 5 a line
        ("第一行\n第二行", 20, 2),  # the text's own line breaks
        ("第一行\n\n第三行", 20, 3),
    ],
)
def test_wrap_lines_chinese_wraps_anywhere(text, width, lines):
    assert wrap_lines(text, width) == lines


def test_a_mark_that_may_not_begin_a_line_takes_the_character_before_it_down():
    # 5 characters fit a line of width 11: "一二三四五" then "，" may not begin the next line, so
    # "五，" goes down together; without the mark the text would take 2 lines, not 3.
    assert wrap_lines("一二三四五六七八九", 11) == 2
    assert wrap_lines("一二三四五，七八九十一二三", 11) == 3


def test_numbers_and_latin_words_stay_whole():
    # "考核得分37.5" — the number does not fit after the 4 characters: it goes down whole.
    assert wrap_lines("考核得分37.5分", 11) == 2
    assert wrap_lines("abc defgh", 6) == 2  # the space at the line's end is not carried over
    # A word longer than a line starts its own line and breaks anywhere.
    assert wrap_lines("网址https://example.com/a/b/c", 11) == 4


def test_row_height_grows_with_the_lines_and_the_font():
    assert row_height(1, 11) == 22.0  # 11 × 1.45 + 6 = 21.95, rounded up to a quarter point
    assert row_height(3, 11) == 54.0  # 53.85
    assert row_height(0, 11) == row_height(1, 11)
    assert row_height(2, 16) > row_height(2, 11)


def reference_lines(text: str, width: float) -> int:
    """The same wrapping a character at a time, as the module's docstring states it: what
    wrap_lines, which takes a run of Chinese text a line at a time, must agree with."""
    usable = max(width - PADDING, 2.0)
    total = 0
    for paragraph in text.split("\n"):
        lines, x, last = 1, 0, 0
        tokens, word = [], ""
        for char in paragraph:  # ASCII words whole; every other character alone
            if "!" <= char <= "~":
                word += char
                continue
            tokens += [word] if word else []
            word = ""
            tokens.append(char)
        tokens += [word] if word else []
        for token in tokens:
            w = text_width(token)
            if token.isspace():
                lines, x, last = (lines, x + w, 0) if x + w <= usable else (lines + 1, 0, 0)
            elif x + w <= usable:
                x, last = x + w, w
            elif token[0] in NO_LINE_START and last and last + w <= usable:
                lines, x, last = lines + 1, last + w, w
            elif w <= usable:
                lines, x, last = lines + 1, w, w
            else:
                if x:
                    lines, x = lines + 1, 0
                for _char in token:
                    if x + 1 > usable:
                        lines, x = lines + 1, 0
                    x += 1
                last = x
        total += lines
    return max(total, 1)


def test_wrap_lines_agrees_with_wrapping_a_character_at_a_time():
    pieces = [
        "考",
        "核",
        "组",
        "，",
        "。",
        "、",
        "”",
        "“",
        "2021",
        "1.5",
        "分",
        " ",
        "abc",
        "\n",
        "https://x.cn/a",
    ]
    generator = random.Random(20220114)
    for _ in range(3000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 60)))
        width = generator.choice([3, 5, 8.43, 10, 14, 17, 22, 36])
        assert wrap_lines(text, width) == reference_lines(text, width), (text, width)
