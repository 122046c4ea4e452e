"""Files that would run something when opened: PDFs with scripts or actions, Office files with
macros or ActiveX controls, PDFs that are also web pages.

Evidence files are opened by reviewers on office machines; a document that runs code when it is
opened is refused, with the reason. Each function returns that reason (Chinese, for the user)
or None when nothing was found.
"""

import base64
import re
import zipfile
import zlib

from django.utils.translation import gettext as _

# --- PDF ----------------------------------------------------------------------------------------

# A name token: /Name, where any character may be written as #xx (/J#61vaScript is /JavaScript).
_NAME = re.compile(rb"/((?:[A-Za-z0-9_.+\-]|#[0-9A-Fa-f]{2})+)")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
# Tags long enough never to occur by chance in megabytes of image data are looked for in the
# whole file (a browser reading the file as a page would find them anywhere); a short one only
# in the file's structure, outside the streams.
_HTML = re.compile(rb"<\s*(?:html|script|body|iframe|!doctype\s+html)\b", re.IGNORECASE)
_HTML_SHORT = re.compile(rb"<\s*svg\b", re.IGNORECASE)
_OPEN_ACTION = re.compile(rb"/OpenAction")
_JAVASCRIPT_URI = re.compile(rb"/URI\s*\(\s*javascript:", re.IGNORECASE)
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/\w+)")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm")

# What a name means when found, in the user's words.
_ACTIVE_NAMES = {
    b"JavaScript": "JavaScript 脚本，打开时会自动执行",
    b"JS": "JavaScript 脚本，打开时会自动执行",
    b"Launch": "启动外部程序的动作（Launch），打开时会自动执行",
    b"AA": "自动执行的动作（AA），打开时会自动执行",
    b"RichMedia": "多媒体脚本（RichMedia），打开时会自动执行",
    b"SubmitForm": "提交表单的动作（SubmitForm），打开时会自动执行",
    b"ImportData": "导入数据的动作（ImportData），打开时会自动执行",
    b"EmbeddedFile": "内嵌的附件文件（EmbeddedFile），可能被打开运行",
    b"XFA": "可含脚本的动态表单（XFA），打开时可能执行脚本",
}
STREAM_BUDGET = 64 * 1024 * 1024  # bytes of decoded object streams inspected per file, at most
STREAM_MAX = 16 * 1024 * 1024  # bytes inspected of one stream


def _names(data: bytes) -> set[bytes]:
    names = set()
    for match in _NAME.finditer(data):
        raw = match.group(1)
        names.add(_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw)
    return names


def _decode(body: bytes, filters: list[bytes], limit: int) -> bytes | None:
    """The stream's bytes after its filters, or None when a filter is one we do not read
    (images: DCT, JPX, CCITT, JBIG2; an object stream is never written with those)."""
    for name in filters:
        try:
            if name in (b"FlateDecode", b"Fl"):
                body = zlib.decompressobj().decompress(body, limit)
            elif name in (b"ASCIIHexDecode", b"AHx"):
                hexa = re.sub(rb"\s", b"", body).split(b">", 1)[0]
                body = bytes.fromhex((hexa + b"0" * (len(hexa) % 2)).decode("ascii"))
            elif name in (b"ASCII85Decode", b"A85"):
                text = re.sub(rb"\s", b"", body).removeprefix(b"<~").split(b"~>", 1)[0]
                body = base64.a85decode(text)
            else:
                return None
        except (zlib.error, ValueError, UnicodeDecodeError):
            return None
    return body


def _split(data: bytes):
    """The file's structure (everything outside stream bodies, as one byte string) and its
    object streams decoded: (dictionary before the stream, decoded contents), within
    STREAM_BUDGET. Stream bodies are mostly images and fonts: binary data in which a short name
    such as /AA turns up by chance, so names are looked for in the structure and in object
    streams only (where a PDF may keep its dictionaries)."""
    structure, objects, position, budget = [], [], 0, STREAM_BUDGET
    for match in _STREAM.finditer(data):
        if match.start() < position:
            continue  # "stream" inside a body already skipped
        head = data[
            max(position, data.rfind(b"obj", max(0, match.start() - 4096), match.start())) : match.start()
        ]
        if not head.rstrip().endswith(b">>"):
            continue  # the word "stream" in ordinary content (e.g. "endstream", a string)
        start = match.end()
        length = _LENGTH.search(head)
        end = start + int(length.group(1)) if length else -1
        if end < 0 or data.find(b"endstream", end, end + 32) < 0:
            end = data.find(b"endstream", start)
            end = len(data) if end < 0 else end
        structure.append(data[position:start])
        position = end
        if budget > 0 and _OBJSTM.search(head):
            found = _FILTERS.search(head)
            filters = re.findall(rb"/(\w+)", found.group(1)) if found else []
            decoded = _decode(data[start:end][:STREAM_MAX], filters, min(budget, STREAM_MAX))
            if decoded is not None:
                budget -= len(decoded)
                objects.append((head, decoded))
    structure.append(data[position:])
    return b"".join(structure), objects


_OBJ = re.compile(rb"(?<![0-9])(\d+)\s+\d+\s+obj\b")
_OBJSTM_FIRST = re.compile(rb"/First\s+(\d+)")
_REF = re.compile(rb"(\d+)\s+\d+\s+R")
_ACTION_TYPE = re.compile(rb"/S\s*/(\w+)")


def _objects(structure: bytes, streams: list[tuple[bytes, bytes]]) -> dict[bytes, bytes]:
    """Object number → the start of its body, from the file and from its object streams."""
    objects = {m.group(1): structure[m.end() : m.end() + 400] for m in _OBJ.finditer(structure)}
    for head, out in streams:
        first = _OBJSTM_FIRST.search(head)
        if not first:
            continue
        offset = int(first.group(1))
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
    """Why the PDF must not be accepted (scripts, launch or automatic actions, embedded files,
    an HTML page inside it), or None."""
    structure, streams = _split(data)
    if _HTML.search(data) or _HTML_SHORT.search(structure):
        return _("文件同时含有网页代码（PDF 与 HTML 混合文件），可能被浏览器当作网页执行")
    parts = [structure, *(out for _head, out in streams)]
    for part in parts:
        found = _names(part) & _ACTIVE_NAMES.keys()
        if found:
            return _("文件含有%(what)s") % {"what": _ACTIVE_NAMES[sorted(found)[0]]}
        if _JAVASCRIPT_URI.search(part):
            return _("文件含有 javascript: 链接，点击时会执行脚本")
    objects = None
    for part in parts:
        for match in _OPEN_ACTION.finditer(part):
            objects = objects if objects is not None else _objects(structure, streams)
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
