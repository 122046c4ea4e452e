"""The keyboard entry of paper ballots: one line per ballot, typed without a mouse.

    序号 类别 标记
    12   1    1203x4

The 类别 is the category's number (1, 2, 3 … as listed on the page); the marks are one key per
subject, in the subjects' order: the option's number (1 好, 2 较好, 3 一般, 4 差 by default), 0 for
弃权 (left blank), x for 多选 (two ticks: 无效). Spaces inside the marks are allowed; lines left
empty are skipped. Every error names its line.
"""

from dataclasses import dataclass, field

from .counting import ABSTAIN, INVALID

ABSTAIN_KEY = "0"
INVALID_KEYS = ("x", "X", "*")


@dataclass
class Entry:
    line: int
    serial: str
    category: str
    marks: dict[str, str]


@dataclass
class Entries:
    rows: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_lines(text: str, *, subjects: list[str], categories: list[str], options: list[str]) -> Entries:
    """Each non-empty line of ``text`` as an entry for ``subjects`` (keys, in order), or its error."""
    result = Entries()
    seen: dict[str, int] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 3:
            result.errors.append(
                f"第{number}行：应为“序号 类别 标记”三部分，例如“12 1 {'1' * len(subjects)}”。"
            )
            continue
        serial, category_key, marks_text = parts[0], parts[1], "".join(parts[2:])
        problems = []
        if len(serial) > 20:
            problems.append("序号过长（最多 20 个字符）")
        elif serial in seen:
            problems.append(f"序号“{serial}”与第{seen[serial]}行重复")
        if not category_key.isdigit() or not 1 <= int(category_key) <= len(categories):
            problems.append(f"类别“{category_key}”应为 1 至 {len(categories)} 的数字")
        if len(marks_text) != len(subjects):
            problems.append(f"标记有 {len(marks_text)} 个，应为 {len(subjects)} 个（每个测评对象一个）")
        marks = {}
        for subject, key in zip(subjects, marks_text, strict=False):
            if key == ABSTAIN_KEY:
                marks[subject] = ABSTAIN
            elif key in INVALID_KEYS:
                marks[subject] = INVALID
            elif key.isdigit() and 1 <= int(key) <= len(options):
                marks[subject] = options[int(key) - 1]
            else:
                problems.append(f"标记“{key}”无法识别（1-{len(options)} 为选项，0 为弃权，x 为多选）")
        if problems:
            result.errors.append(f"第{number}行：" + "；".join(dict.fromkeys(problems)) + "。")
            continue
        seen[serial] = number
        result.rows.append(Entry(number, serial, categories[int(category_key) - 1], marks))
    return result
