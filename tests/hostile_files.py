"""Hostile files built in memory for tests: zip bombs and documents carrying active content."""

import io
import zipfile
import zlib

from tests.xlsx_builder import make_xlsx


def replace_part(
    data: bytes, name: str, *, prefix: bytes, filler: bytes, repeat: int, suffix: bytes
) -> bytes:
    """``data`` (a zip) with part ``name`` replaced by prefix + filler × repeat + suffix, deflated
    in a streaming way: a part of a gigabyte costs a megabyte and a few seconds at most."""
    # After a full flush the compressor starts afresh, so the filler deflates to the same bytes
    # every time: deflate it once and repeat them.
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    middle = compressor.compress(filler) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix) + compressor.flush()
    crc = zlib.crc32(prefix)
    for _ in range(repeat):
        crc = zlib.crc32(filler, crc)
    crc = zlib.crc32(suffix, crc)
    packed = [head, middle * repeat, tail]
    body = b"".join(packed)
    size = len(prefix) + len(filler) * repeat + len(suffix)

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.CRC, info.compress_size, info.file_size = crc, len(body), size
        # Write the local header and the raw deflated body by hand (zipfile would compress again).
        target.fp.seek(target.start_dir)
        info.header_offset = target.start_dir
        info.flag_bits = 0
        header = info.FileHeader(zip64=size > 0xFFFFFFFF)
        target.fp.write(header)
        target.fp.write(body)
        target.start_dir = target.fp.tell()
        target.filelist.append(info)
        target.NameToInfo[name] = info
        target._didModify = True
    return out.getvalue()


def workbook_bomb(*, megabytes: int = 1024, rows=None) -> bytes:
    """A roster-shaped .xlsx whose shared string table unpacks to ``megabytes`` MB."""
    rows = rows or [["单位名称", "单位类别", "上级单位"], ["云山市", "市", ""]]
    data = make_xlsx(rows)
    return replace_part(
        data,
        "xl/sharedStrings.xml",
        prefix=b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>',
        filler=b"A" * (1024 * 1024),
        repeat=megabytes,
        suffix=b"</t></si></sst>",
    )


def sheet_bomb(*, megabytes: int = 1024) -> bytes:
    """An .xlsx whose first sheet's XML unpacks to ``megabytes`` MB of blank rows."""
    data = make_xlsx([["单位名称", "单位类别", "上级单位"]])
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>' * 16384
    return replace_part(
        data,
        "xl/worksheets/sheet1.xml",
        prefix=b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>',
        filler=row[: 1024 * 1024],
        repeat=megabytes,
        suffix=b"</sheetData></worksheet>",
    )


def many_entries(count: int = 20_000) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(count):
            archive.writestr(f"xl/x{i}.xml", "")
    return out.getvalue()


_SST_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main">'
)
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><sheetData>'
)


def many_strings(*, megabytes: int = 80) -> bytes:
    """A roster whose shared string table holds millions of short distinct strings: within the
    zip limits (under 100 MB unpacked, a modest ratio), but a parser keeping every string in a
    list would need gigabytes."""
    block = b"".join(b"<si><t>%06d</t></si>" % i for i in range(60_000))  # ~1.1 MB of strings
    repeat = max(1, megabytes * 1024 * 1024 // len(block))
    base = make_xlsx([["单位名称", "单位类别", "上级单位"], ["云山市", "市", ""]])
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        types = archive.read("[Content_Types].xml")
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    base = replace_part(base, "[Content_Types].xml", prefix=types, filler=b"", repeat=0, suffix=b"")
    return replace_part(
        base,
        "xl/sharedStrings.xml",
        prefix=_SST_HEAD,
        filler=block,
        repeat=repeat,
        suffix=b"</sst>",
    )


def wide_row(*, megabytes: int = 95) -> bytes:
    """A sheet whose second row has millions of cells (Excel allows 16,384 columns)."""
    cells = b"".join(b'<c t="inlineStr"><is><t>%d</t></is></c>' % i for i in range(30_000))
    repeat = max(1, megabytes * 1024 * 1024 // len(cells))
    return replace_part(
        make_xlsx([["单位名称", "单位类别", "上级单位"]]),
        "xl/worksheets/sheet1.xml",
        prefix=_SHEET_HEAD
        + '<row r="1"><c t="inlineStr"><is><t>单位名称</t></is></c></row><row r="2">'.encode(),
        filler=cells,
        repeat=repeat,
        suffix=b"</row></sheetData></worksheet>",
    )
