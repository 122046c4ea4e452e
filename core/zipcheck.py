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
