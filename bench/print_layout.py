"""Check: the demo's exports as LibreOffice prints them, page by page.

Usage (from anywhere):

    .venv/bin/python bench/print_layout.py [--out DIR] [FILE.docx|FILE.xlsx ...]

Without files it loads the demo (``load_demo``) into a fresh SQLite database in a temporary
directory and exports the reports of 青山县 (complete), 绿水县 (half done) and 白石区
(untouched) with ``export_report`` and the score summary with ``export_scores``. Every file is
drawn by ``render-docx`` (LibreOffice, as ../shared/design/report-format.md says; found through
$RENDER_DOCX, ../shared/tools/ beside the main checkout, or /work/shared/tools/), whose PDF and
page images stay in ``--out`` (default: a new temporary directory, printed) to be looked at.

A report (.docx), read from the PDF's words (``pdftotext -bbox``) and the .docx's paragraphs:

* per page, the lines in the text block (37/28/35/26 mm margins) and their pitch: a page
  between the first and the last must hold 22 lines, no page more;
* per line of a body paragraph that is not the paragraph's last, the characters on it
  (a Chinese character or full-width mark 1, a digit or Latin letter ½): 28 on a line of Chinese
  text, 27 where the next line starts with the last character and a mark that may not begin a
  line (避头尾), never more;
* every mark ，、。；：？！ of the .docx drawn, per paragraph, and none outside the text block.

A score summary (.xlsx): per page, whether any text is drawn outside the printable area or over
other text, and whether every cell's characters are drawn (a cell cut short loses some).

It prints what it measured per page and ends with

    bench print_layout: <n> reports, <pages> pages, <m> workbook pages — PASS|FAIL

exit code 0 on PASS, 1 on FAIL, 2 when the check itself fails (no LibreOffice, no poppler).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTIES = ("青山县", "绿水县", "白石区")
CAMPAIGN = "2021年度党建工作年终考核"

MM = 72 / 25.4
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, (210 - 26) * MM, 37 * MM, (297 - 35) * MM
LINES, CHARS, PITCH = 22, 28, 28.95
TOLERANCE = 0.6  # pt: glyph boxes of a full line end within this of the text block's edge
MARKS = "，、。；：？！"
NO_LINE_START = "，、。；：？！”’）》」』〉】…—"
NO_LINE_END = "“‘（《「『〈【"
CELL = 442.2 / CHARS  # pt: a character's share of the 156 mm line
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def render_tool() -> Path:
    candidates = [
        os.environ.get("RENDER_DOCX", ""),
        ROOT.parent / "shared/tools/render-docx",
        ROOT.parent.parent / "shared/tools/render-docx",
        "/work/shared/tools/render-docx",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise SystemExit("render-docx not found: set RENDER_DOCX")


def render(path: Path, out: Path) -> Path:
    """The PDF LibreOffice draws of ``path``, with the page images beside it in out/<stem>/."""
    target = out / path.stem
    subprocess.run([str(render_tool()), str(path), str(target)], check=True, capture_output=True)
    return target / f"{path.stem}.pdf"


# --- the PDF's words ------------------------------------------------------------------------


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Line:
    words: list[Word]

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def y(self) -> float:
        return max(w.y1 for w in self.words)


def pdf_pages(pdf: Path, *, sizes: bool = False) -> list:
    """Each page's words (with sizes: (width, height, words))."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out.stdout))
    pages = []
    for page in root.iter(f"{XHTML}page"):
        words = [
            Word(*(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), w.text or "")
            for w in page.iter(f"{XHTML}word")
        ]
        pages.append((float(page.get("width")), float(page.get("height")), words) if sizes else words)
    return pages


def lines_of(words: list[Word]) -> list[Line]:
    """Words grouped by their baseline (a line's words share yMax), top to bottom."""
    rows: dict[float, list[Word]] = {}
    for word in words:
        key = next((k for k in rows if abs(k - word.y1) < 3), word.y1)
        rows.setdefault(key, []).append(word)
    return [Line(sorted(ws, key=lambda w: w.x0)) for _, ws in sorted(rows.items())]


def width(text: str) -> float:
    """Characters: a Chinese character or full-width mark 1, a digit, Latin letter or ASCII mark ½."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text if not c.isspace())


def squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


# --- a report ---------------------------------------------------------------------------------


@dataclass
class Paragraph:
    text: str
    style: str


def docx_paragraphs(path: Path) -> list[Paragraph]:
    with zipfile.ZipFile(path) as archive:
        body = ET.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    paragraphs = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        paragraphs.append(Paragraph(squeeze(text), style.get(f"{W}val") if style is not None else "Normal"))
    return [p for p in paragraphs if p.text]


@dataclass
class PageReport:
    number: int
    lines: int
    pitch: float
    counts: collections.Counter = field(default_factory=collections.Counter)
    short: int = 0  # lines that would still fit at the bottom
    problems: list[str] = field(default_factory=list)


def check_report(docx: Path, pdf: Path) -> list[PageReport]:
    paragraphs = docx_paragraphs(docx)
    pages = pdf_pages(pdf)
    # Body lines, page by page; the header (草稿) and the footer (page number) lie outside.
    page_lines = [[ln for ln in lines_of(words) if TOP - 2 < ln.y < BOTTOM + 6] for words in pages]
    flat = [(index, line) for index, lines in enumerate(page_lines) for line in lines]
    reports = []
    for index, lines in enumerate(page_lines):
        ys = [ln.y for ln in lines]
        pitch = (ys[-1] - ys[0]) / (len(ys) - 1) if len(ys) > 1 else 0.0
        # Grid lines from the first to the last drawn one (blank lines draw nothing).
        slots = round((ys[-1] - ys[0]) / PITCH) + 1 if ys else 0
        report = PageReport(index + 1, slots, pitch)
        # A page whose last line is the block's last must hold 22; one that ends early (a heading
        # kept with its text, the last paragraph kept with the signature) says how early.
        report.short = int((BOTTOM - ys[-1]) // PITCH) if ys else LINES
        if slots > LINES or (not report.short and index and slots != LINES):
            report.problems.append(f"{slots} lines on a full page")
        for line in lines:
            if line.x1 > RIGHT + TOLERANCE or line.x0 < LEFT - TOLERANCE:
                edge = (line.x1 - RIGHT) / MM if line.x1 > RIGHT else (line.x0 - LEFT) / MM
                report.problems.append(f"outside the text block ({edge:+.1f} mm): …{line.text[-6:]}")
        reports.append(report)

    # Lines to paragraphs: each paragraph's text is the concatenation of its lines.
    position = 0
    for paragraph in paragraphs:
        taken, drawn = [], ""
        while position < len(flat) and len(drawn) < len(paragraph.text):
            taken.append(flat[position])
            drawn += squeeze(flat[position][1].text)
            position += 1
        page = reports[taken[0][0]] if taken else reports[-1]
        if drawn != paragraph.text:
            lost = collections.Counter(paragraph.text) - collections.Counter(drawn)
            marks = {c: n for c, n in lost.items() if c in MARKS}
            what = f"marks lost: {marks}" if marks else f"lost: {dict(lost)}"
            page.problems.append(f"drawn text differs ({what}): {paragraph.text[:12]}…")
            return reports  # the alignment of lines to paragraphs is lost from here
        if paragraph.style == "ReportTitle":
            continue
        for (page_index, line), following in zip(taken, taken[1:], strict=False):
            counts, problems = reports[page_index].counts, reports[page_index].problems
            n = width(line.text)
            room = CHARS - round((line.x0 - LEFT) / CELL)  # the first line is indented
            nxt = squeeze(following[1].text)
            pushed = round(room - n)
            if n > room:
                problems.append(f"{n:g} characters on a line of {room}: {line.text}")
            elif pushed < 1:
                counts["full"] += 1
            elif any(c.isascii() for c in squeeze(line.text)) or nxt[:1].isascii():
                counts["with a number"] += 1  # digits are narrower or wider than half a character
            elif set(nxt[1 : pushed + 1]) <= set(NO_LINE_START) or set(nxt[:pushed]) <= set(NO_LINE_END):
                # 避头尾: characters moved down with the marks that may not begin a line behind
                # them, or opening marks that may not end one.
                counts["避头尾"] += 1
            else:
                problems.append(f"{n:g} characters on a line of {room}: {line.text}")
    return reports


# --- a workbook ---------------------------------------------------------------------------------


def check_workbook(xlsx: Path, pdf: Path) -> list[PageReport]:
    from openpyxl import load_workbook

    workbook = load_workbook(xlsx)
    wanted: collections.Counter = collections.Counter()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    wanted.update(c for c in squeeze(cell.value) if unicodedata.east_asian_width(c) in "WF")
    # The footer's last line must end above the footer margin: LibreOffice clips what a footer
    # frame too low for it would draw below (the text stays in the PDF, so look where it is).
    footer = min(sheet.page_margins.footer for sheet in workbook.worksheets) * 72
    drawn: collections.Counter = collections.Counter()
    reports = []
    for number, (page_w, page_h, words) in enumerate(pdf_pages(pdf, sizes=True), start=1):
        report = PageReport(number, len(lines_of(words)), 0.0)
        for word in words:
            drawn.update(c for c in word.text if unicodedata.east_asian_width(c) in "WF")
            if word.x0 < 0 or word.y0 < 0 or word.x1 > page_w or word.y1 > page_h:
                report.problems.append(f"off the page: {word.text}")
            elif word.y1 > page_h - footer + 1:
                report.problems.append(f"below the footer margin, clipped: {word.text}")
        for a_index, a in enumerate(words):
            for b in words[a_index + 1 :]:
                overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
                overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
                if overlap_x > 2 and overlap_y > 2:
                    report.problems.append(f"overlap: {a.text[:10]} / {b.text[:10]}")
        reports.append(report)
    missing = wanted - drawn
    if missing:
        reports[-1].problems.append(
            f"characters of cells not drawn: {''.join(sorted(missing.elements()))[:60]}"
        )
    return reports


# --- the demo -------------------------------------------------------------------------------------


def export_demo(directory: Path) -> list[Path]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{directory / 'demo.sqlite3'}", "DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*args: str) -> None:
        subprocess.run([*manage, *args], env=env, check=True, capture_output=True, cwd=ROOT)

    run("migrate", "--verbosity", "0")
    run("load_demo", "--force", "--verbosity", "0")
    files = []
    for county in COUNTIES:
        path = directory / f"{county}.docx"
        run("export_report", "--campaign", CAMPAIGN, "--target", county, "--output", str(path))
        files.append(path)
    path = directory / "得分汇总.xlsx"
    run("export_scores", "--campaign", CAMPAIGN, "--output", str(path))
    files.append(path)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, help="where the PDFs and page images go")
    options = parser.parse_args()
    if not shutil.which("pdftotext"):
        render_tool()  # render-docx installs poppler with LibreOffice
    out = options.out or Path(tempfile.mkdtemp(prefix="print_layout-"))
    out.mkdir(parents=True, exist_ok=True)
    files = options.files or export_demo(out)
    failed, reports_done, report_pages, workbook_pages = False, 0, 0, 0
    for path in files:
        pdf = render(path, out)
        print(f"{path.name} → {pdf}")
        if path.suffix == ".docx":
            pages = check_report(path, pdf)
            reports_done += 1
            report_pages += len(pages)
        else:
            pages = check_workbook(path, pdf)
            workbook_pages += len(pages)
        for page in pages:
            counts = ", ".join(f"{k} {kind}" for kind, k in page.counts.items())
            what = f"{page.lines} lines" + (f", pitch {page.pitch:.2f} pt" if page.pitch else "")
            what += f" ({page.short} more would fit)" if page.short else ""
            print(
                f"  page {page.number}: {what}"
                + (f"; lines not ending a paragraph: {counts}" if counts else "")
            )
            for problem in page.problems:
                print(f"    ✗ {problem}")
                failed = True
    verdict = "FAIL" if failed else "PASS"
    print(
        f"bench print_layout: {reports_done} reports, {report_pages} pages, "
        f"{workbook_pages} workbook pages — {verdict}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        print(f"bench print_layout: {error}", file=sys.stderr)
        sys.exit(2)
