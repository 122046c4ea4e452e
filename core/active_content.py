"""Files that would run something when opened: PDFs with scripts or actions, Office files with
macros or ActiveX controls, PDFs that are also web pages.

Evidence files are opened by reviewers on office machines; a document that runs code when it is
opened is refused, with the reason. Each function returns that reason (Chinese, for the user)
or None when nothing was found.
"""

import re
import zipfile
import zlib

from django.utils.translation import gettext as _

# --- PDF ----------------------------------------------------------------------------------------

# A name token: /Name, where any character may be written as #xx (/J#61vaScript is /JavaScript).
_NAME = re.compile(rb"/((?:[A-Za-z0-9_.+\-]|#[0-9A-Fa-f]{2})+)")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
_HTML = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype\s+html)\b", re.IGNORECASE)
_OPEN_ACTION = re.compile(rb"/OpenAction")

# What a name means when found, in the user's words.
_ACTIVE_NAMES = {
    b"JavaScript": "JavaScript 脚本",
    b"JS": "JavaScript 脚本",
    b"Launch": "启动外部程序的动作（Launch）",
    b"AA": "自动执行的动作（AA）",
    b"RichMedia": "多媒体脚本（RichMedia）",
    b"SubmitForm": "提交表单的动作（SubmitForm）",
    b"ImportData": "导入数据的动作（ImportData）",
}
STREAM_BUDGET = 64 * 1024 * 1024  # bytes of decompressed streams inspected per file, at most
STREAM_MAX = 16 * 1024 * 1024  # bytes inspected of one stream


def _names(data: bytes) -> set[bytes]:
    names = set()
    for match in _NAME.finditer(data):
        raw = match.group(1)
        names.add(_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw)
    return names


def _streams(data: bytes):
    """(dictionary before the stream, decompressed contents) of the file's Flate streams
    (object streams hide dictionaries there), within STREAM_BUDGET."""
    budget = STREAM_BUDGET
    for match in _STREAM.finditer(data):
        if budget <= 0:
            return
        decompressor = zlib.decompressobj()
        try:
            out = decompressor.decompress(
                data[match.end() : match.end() + STREAM_MAX], min(budget, STREAM_MAX)
            )
        except zlib.error:
            continue
        budget -= len(out)
        yield data[max(0, match.start() - 300) : match.start()], out


_OBJ = re.compile(rb"(?<![0-9])(\d+)\s+\d+\s+obj\b")
_OBJSTM_FIRST = re.compile(rb"/Type\s*/ObjStm.*?/First\s+(\d+)|/First\s+(\d+).*?/Type\s*/ObjStm", re.DOTALL)
_REF = re.compile(rb"(\d+)\s+\d+\s+R")
_ACTION_TYPE = re.compile(rb"/S\s*/(\w+)")


def _objects(data: bytes, streams: list[tuple[bytes, bytes]]) -> dict[bytes, bytes]:
    """Object number → the start of its body, from the file and from its object streams."""
    objects = {m.group(1): data[m.end() : m.end() + 400] for m in _OBJ.finditer(data)}
    for head, out in streams:
        first = _OBJSTM_FIRST.search(head)
        if not first:
            continue
        offset = int(first.group(1) or first.group(2))
        pairs = out[:offset].split()
        for number, start in zip(pairs[::2], pairs[1::2], strict=False):
            if start.isdigit():
                objects.setdefault(number, out[offset + int(start) : offset + int(start) + 400])
    return objects


def _open_action(value: bytes, objects: dict[bytes, bytes]) -> bool:
    """Whether an /OpenAction value is an action that does something on opening: a destination
    ([page /Fit]) or a GoTo only says where to open."""
    value = value.lstrip()
    reference = _REF.match(value)
    if reference:
        value = objects.get(reference.group(1), b"").lstrip()
    if not value or value.startswith(b"["):
        return False
    action = _ACTION_TYPE.search(value[:400])
    return not (action and action.group(1) == b"GoTo")


def pdf_active_content(data: bytes) -> str | None:
    """Why the PDF must not be accepted (scripts, launch or automatic actions, an HTML page
    inside it), or None."""
    if _HTML.search(data):
        return _("文件同时含有网页代码（PDF 与 HTML 混合文件），可能被浏览器当作网页执行")
    streams = list(_streams(data))
    parts = [data, *(out for _head, out in streams)]
    for part in parts:
        found = _names(part) & _ACTIVE_NAMES.keys()
        if found:
            return _("文件含有%(what)s，打开时会自动执行") % {"what": _ACTIVE_NAMES[sorted(found)[0]]}
    objects = None
    for part in parts:
        for match in _OPEN_ACTION.finditer(part):
            objects = objects if objects is not None else _objects(data, streams)
            if _open_action(part[match.end() : match.end() + 400], objects):
                return _("文件含有打开时自动执行的动作（OpenAction）")
    return None


# --- Office (.docx, .xlsx) --------------------------------------------------------------------------

_MACRO_PARTS = re.compile(
    r"(^|/)(vbaProject\.bin|vbaData\.xml)$|(^|/)activeX/|^xl/macrosheets/|^xl/dialogsheets/"
)
_MACRO_TYPES = re.compile(
    r"macroEnabled|vbaProject|ms-office\.activeX|ms-excel\.(?:intl)?macrosheet", re.IGNORECASE
)


def office_macros(archive: zipfile.ZipFile) -> str | None:
    """Why the Office file must not be accepted (macros, ActiveX controls, Excel 4.0 macro
    sheets), or None. Reads the directory and [Content_Types].xml only."""
    for name in archive.namelist():
        if _MACRO_PARTS.search(name):
            return _("文件含有宏或 ActiveX 控件（%(part)s），打开时可能执行代码") % {"part": name[:60]}
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return None
    if info.file_size > 1024 * 1024:
        return _("文件的内容类型清单异常（过大）")
    types = archive.read(info).decode("utf-8", "replace")
    if _MACRO_TYPES.search(types):
        return _("文件是启用宏的 Office 文件（.docm/.xlsm），打开时可能执行代码")
    return _remote_template(archive)


_ATTACHED_TEMPLATE = re.compile(r"<Relationship\b[^>]*attachedTemplate[^>]*>", re.I)
_EXTERNAL = re.compile(r"TargetMode\s*=\s*[\"']External[\"']", re.I)


def _remote_template(archive: zipfile.ZipFile) -> str | None:
    """A Word file whose template is fetched from elsewhere when opened (template injection:
    the remote .dotm brings its macros with it)."""
    for info in archive.infolist():
        if not info.filename.lower().endswith("settings.xml.rels") or info.file_size > 1024 * 1024:
            continue
        rels = archive.read(info).decode("utf-8", "replace")
        for relationship in _ATTACHED_TEMPLATE.findall(rels):
            if _EXTERNAL.search(relationship):
                return _("文件打开时会从外部地址加载模板（%(part)s），可能带入宏代码") % {
                    "part": info.filename[:60]
                }
    return None
