"""Refusing zip bombs before anything is decompressed.

An .xlsx or .docx is a zip archive. A hostile one is small on the wire and enormous
unpacked: a 1 MB workbook whose shared string table expands to 1 GB, or thousands of entries
pointing at the same compressed bytes. Parsers (openpyxl, python-docx) would unpack it into
memory before they could say anything, so every upload is checked here first, from the
archive's directory alone (nothing is decompressed): the number of entries, each entry's
unpacked size, the total, and the compression ratio of large entries.

The directory could lie about the sizes, but Python's zipfile never returns more bytes of an
entry than the directory declares, so whatever reads the archive afterwards stays within
these limits too.

The limits are sized for real files with a wide margin: a 3,000-unit roster unpacks to about
2 MB, a 100,000-row sheet (the import's row limit) to about 50 MB; a Word file full of photos
is mostly stored images whose ratio is about 1.
"""

import io
import zipfile
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 5_000
    max_entry_bytes: int = 100 * MB  # one part unpacked
    max_total_bytes: int = 200 * MB  # all parts unpacked
    max_ratio: int = 200  # unpacked ÷ packed, for parts over ratio_floor
    ratio_floor: int = 4 * MB


WORKBOOK_LIMITS = ZipLimits()
DOCUMENT_LIMITS = ZipLimits(max_entry_bytes=60 * MB, max_total_bytes=200 * MB)


class ZipRefused(ValueError):
    """The archive could not be unpacked safely; the message says why, in Chinese."""


class ZipDamaged(ZipRefused):
    """The archive's directory cannot be read at all."""


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def check_zip(data: bytes | io.IOBase, *, limits: ZipLimits = WORKBOOK_LIMITS) -> list[zipfile.ZipInfo]:
    """Check an archive's directory against ``limits``; return its entries or raise ZipRefused.

    ``data`` is the file's bytes or a seekable binary file (left at position 0).
    """
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        raise ZipDamaged(
            _("文件已损坏或不是有效的压缩格式（.xlsx、.docx 都是压缩文件），无法读取。")
        ) from None
    finally:
        stream.seek(0)
    if len(entries) > limits.max_entries:
        raise ZipRefused(
            _("文件内含 %(n)s 个部件，超过上限 %(limit)s 个，不像是正常的 Office 文件，已拒绝。")
            % {"n": f"{len(entries):,}", "limit": f"{limits.max_entries:,}"}
        )
    total = 0
    for entry in entries:
        unpacked, packed = entry.file_size, entry.compress_size
        if unpacked > limits.max_entry_bytes:
            raise ZipRefused(
                _(
                    "文件中的“%(part)s”解压后有 %(size)s，超过上限 %(limit)s，已拒绝（可能是恶意构造的压缩炸弹）。"
                )
                % {
                    "part": entry.filename[:80],
                    "size": _size(unpacked),
                    "limit": _size(limits.max_entry_bytes),
                }
            )
        if unpacked > limits.ratio_floor and unpacked > limits.max_ratio * max(packed, 1):
            raise ZipRefused(
                _("文件中的“%(part)s”压缩比异常（%(ratio)s 倍），已拒绝（可能是恶意构造的压缩炸弹）。")
                % {"part": entry.filename[:80], "ratio": f"{unpacked // max(packed, 1):,}"}
            )
        total += unpacked
        if total > limits.max_total_bytes:
            raise ZipRefused(
                _("文件解压后超过 %(limit)s，已拒绝。请删除不需要的工作表、图片后重新保存再上传。")
                % {"limit": _size(limits.max_total_bytes)}
            )
    return entries


# --- What openpyxl would build from the XML ----------------------------------------------
#
# Within the zip limits a workbook can still be built to exhaust memory: a shared string
# table of millions of short strings (openpyxl keeps them all in a list), a row of millions
# of cells (a read-only sheet hands out a whole row at once), or a styles part of millions of
# formats (parsed whole). The XML is therefore read once, streamed through expat in small
# chunks with nothing kept, and counted against Excel's own limits before openpyxl sees it.


@dataclass(frozen=True)
class XmlLimits:
    max_shared_strings: int = 1_000_000  # a 100,000-row sheet of distinct texts has far fewer
    max_cells_per_row: int = 16_384  # Excel's column limit
    max_elements_per_row: int = 200_000  # a full-width row of rich text stays far below
    max_cell_chars: int = 32_767  # Excel's limit for one cell
    max_whole_part_bytes: int = 6 * MB  # parts parsed whole: workbook, styles, theme, rels


XML_LIMITS = XmlLimits()
_CHUNK = 256 * 1024


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _whole_part(name: str) -> bool:
    """Parts openpyxl parses in one piece when reading a workbook (read-only mode)."""
    lowered = name.lower()
    return (
        lowered.endswith(".rels")
        or lowered
        in {
            "[content_types].xml",
            "xl/workbook.xml",
            "xl/styles.xml",
            "docprops/core.xml",
            "docprops/app.xml",
            "docprops/custom.xml",
        }
        or lowered.startswith("xl/theme/")
    )


class _Scan:
    """Counts one part's elements as expat streams it; raises ZipRefused at the first excess."""

    def __init__(self, part: str, place: str, limits: XmlLimits):
        self.part, self.place, self.limits = part, place, limits
        self.depth = 0
        self.strings = 0
        self.row_depth = 0  # depth of the open <row>, 0 outside a row
        self.row_label = ""
        self.rows = 0
        self.cells = 0
        self.elements = 0
        self.text_depth = 0  # depth of the open <t> or <v>
        self.chars = 0

    def start(self, name: str, attributes: dict) -> None:
        self.depth += 1
        tag = _local(name)
        if self.row_depth:
            self.elements += 1
            if self.elements > self.limits.max_elements_per_row:
                raise self._row_refusal(_("内容过多"))
            if tag == "c":
                self.cells += 1
                if self.cells > self.limits.max_cells_per_row:
                    raise self._row_refusal(
                        _("有超过 %(limit)s 个单元格（Excel 最多 %(limit)s 列）")
                        % {"limit": f"{self.limits.max_cells_per_row:,}"}
                    )
        elif tag == "row":
            self.rows += 1
            self.row_depth, self.cells, self.elements = self.depth, 0, 0
            self.row_label = attributes.get("r") or str(self.rows)
        if tag == "si":
            self.strings += 1
            self.chars = 0
            if self.strings > self.limits.max_shared_strings:
                raise ZipRefused(
                    _("%(place)s中的文字超过 %(limit)s 条，不像是正常的工作簿，已拒绝。")
                    % {"place": self.place, "limit": f"{self.limits.max_shared_strings:,}"}
                )
        elif tag == "c":
            self.chars = 0
        if tag in ("t", "v") and not self.text_depth:
            self.text_depth = self.depth

    def end(self, name: str) -> None:
        if self.depth == self.text_depth:
            self.text_depth = 0
        if self.depth == self.row_depth:
            self.row_depth = 0
        self.depth -= 1

    def text(self, data: str) -> None:
        if self.text_depth:
            self.chars += len(data)
            if self.chars > self.limits.max_cell_chars:
                where = (
                    _("第%(row)s行的一个单元格") % {"row": self.row_label}
                    if self.row_depth
                    else _("第%(n)s条文字") % {"n": f"{self.strings:,}"}
                )
                raise ZipRefused(
                    _("%(place)s%(where)s超过 %(limit)s 个字符（Excel 单元格的上限），已拒绝。")
                    % {"place": self.place, "where": where, "limit": f"{self.limits.max_cell_chars:,}"}
                )

    def doctype(self, *args) -> None:
        raise ZipRefused(
            _("%(place)s含有文档类型声明（DOCTYPE），Excel 不会写出这种内容，已拒绝。")
            % {"place": self.place}
        )

    def _row_refusal(self, what: str) -> ZipRefused:
        return ZipRefused(
            _("%(place)s第%(row)s行%(what)s，不像是正常的工作簿，已拒绝。")
            % {"place": self.place, "row": self.row_label, "what": what}
        )


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name → the sheet's name as users see it, best effort."""
    import xml.etree.ElementTree as ElementTree

    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    names = {}
    for element in book.iter():
        if _local(element.tag.rpartition("}")[2]) == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                names[targets[rid]] = element.get("name", "")
    return names


def check_workbook_xml(data: bytes, *, limits: XmlLimits = XML_LIMITS) -> None:
    """Stream the workbook's XML parts through expat and refuse what would exhaust openpyxl.

    Call after ``check_zip`` (which bounds what is decompressed here). Raises ZipRefused.
    """
    from xml.parsers import expat

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_names = _sheet_names(archive)
        for entry in archive.infolist():
            name = entry.filename
            lowered = name.lower()
            if _whole_part(name):
                if entry.file_size > limits.max_whole_part_bytes:
                    raise ZipRefused(
                        _(
                            "文件中的“%(part)s”解压后有 %(size)s，超过上限 %(limit)s，不像是正常的工作簿，已拒绝。"
                        )
                        % {
                            "part": name[:80],
                            "size": _size(entry.file_size),
                            "limit": _size(limits.max_whole_part_bytes),
                        }
                    )
                continue
            if lowered == "xl/sharedstrings.xml":
                place = _("共享文字表")
            elif lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
                sheet = sheet_names.get(name)
                place = (
                    _("工作表“%(name)s”") % {"name": sheet}
                    if sheet
                    else _("工作表 %(part)s") % {"part": name}
                )
            else:
                continue  # not read by openpyxl in read-only mode
            scan = _Scan(name, place, limits)
            parser = expat.ParserCreate()
            parser.StartElementHandler = scan.start
            parser.EndElementHandler = scan.end
            parser.CharacterDataHandler = scan.text
            parser.StartDoctypeDeclHandler = scan.doctype
            parser.EntityDeclHandler = scan.doctype
            try:
                with archive.open(entry) as stream:
                    while chunk := stream.read(_CHUNK):
                        parser.Parse(chunk, False)
                    parser.Parse(b"", True)
            except expat.ExpatError:
                continue  # malformed XML: openpyxl reports the file as damaged
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
                raise ZipDamaged(_("文件已损坏，无法读取。")) from None
