"""Evidence (资料印证): files attached to a deduction or a problem.

A file's type is decided by its content, never by its name or by what the
browser claims: PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) are accepted,
anything else is refused. Files live in the "evidence" storage under random
names and are served only through a permission-checked view
(assessment.views.evidence); images also get a small JPEG thumbnail.

Like every write to a target's findings, attaching and deleting lock the
target (refused once it is submitted), and are recorded in the audit trail in
the same transaction.
"""

import hashlib
import io
import unicodedata
import uuid
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from core.active_content import office_macros, pdf_active_content
from core.zipcheck import DOCUMENT_LIMITS, ZipRefused, check_zip

from ..models import AuditEntry, Deduction, Evidence, Problem
from .editing import audit, delete_files, lock_editable

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
THUMBNAIL_SIZE = (240, 240)


def max_bytes() -> int:
    return getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


# --- what a file is ---------------------------------------------------------------------


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


PDF = FileType("application/pdf", "pdf", "PDF")
JPEG = FileType("image/jpeg", "jpg", "JPEG")
PNG = FileType("image/png", "png", "PNG")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel")

# For <input accept=…>: a hint to the browser's file picker, not a check.
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"

_PDF_MAGIC = b"%PDF-"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc / .xls (Office 97–2003)


def _zip_type(upload) -> FileType | None:
    """A .docx or .xlsx is a zip with a [Content_Types].xml and its main part. Only the
    directory is read: nothing is decompressed, so a zip bomb costs nothing here."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(upload) -> FileType | None:
    """The file's type from its first bytes (and, for a zip, its directory); None if not accepted."""
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(_PDF_MAGIC):
        return PDF
    if head.startswith(_JPEG_MAGIC):
        return JPEG
    if head.startswith(_PNG_MAGIC):
        return PNG
    if head.startswith(_ZIP_MAGIC):
        return _zip_type(upload)
    return None


def _plain_name(name: str | None) -> str:
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Control and format characters (a right-to-left override can disguise "exe.pdf").
    return "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf")).strip()


NAME_MAX = 100  # characters of a file name as shown and stored; longer names are shortened


def clean_name(name: str | None, file_type: FileType) -> str:
    """The name as the user gave it, without folders or invisible characters; a name longer than
    NAME_MAX characters is shortened in the middle of its stem ("前面…后面.pdf"), its extension kept."""
    name = _plain_name(name)
    if not name.strip("."):
        name = f"{_('资料')}.{file_type.extension}"
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        suffix = f".{extension}" if dot and stem and len(extension) <= 10 else ""
        stem = stem if suffix else name
        room = NAME_MAX - len(suffix) - 1
        name = stem[: room - room // 3] + "…" + stem[len(stem) - room // 3 :] + suffix
    return name


def _thumbnail(upload, file_type: FileType, shown_name: str) -> bytes | None:
    """Decode the whole image (refusing a broken one or a decompression bomb) and return a JPEG
    thumbnail of at most THUMBNAIL_SIZE, turned upright by its EXIF orientation."""
    broken = ValidationError(
        _("“%(name)s”：图片已损坏，无法打开。请重新导出或拍摄后再上传。") % {"name": shown_name}
    )
    fmt = "JPEG" if file_type == JPEG else "PNG"
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that: refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=[fmt]) as image:
                image.verify()  # checks PNG chunk checksums; the decoder below catches the rest
            upload.seek(0)
            with Image.open(upload, formats=[fmt]) as image:
                image.draft(None, (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))  # JPEG: decode smaller
                image.load()
                picture = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("图片“%(name)s”像素过多，无法处理。请缩小后再上传。") % {"name": shown_name}
        ) from None
    except (OSError, SyntaxError, ValueError, TypeError, IndexError, KeyError, EOFError):
        raise broken from None
    try:
        picture.thumbnail(THUMBNAIL_SIZE)
        if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
            rgba = picture.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            picture = flat
        elif picture.mode != "RGB":
            picture = picture.convert("RGB")
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=85, optimize=True)
    except (OSError, ValueError):
        return None  # a valid image we cannot shrink (an unusual mode): shown as an icon instead
    return out.getvalue()


@dataclass
class CheckedFile:
    upload: UploadedFile
    name: str
    file_type: FileType
    size: int
    sha256: str
    thumbnail: bytes | None


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Everything about one uploaded file that can be checked without the database; raises
    ValidationError with a message naming the file."""
    given = _plain_name(upload.name)[:100] or _("（未命名）")
    limit = max_bytes()
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空的（0 字节），请重新选择文件。") % {"name": given})
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”过大（%(size).1f MB），每个文件不能超过 %(limit)s MB。")
            % {"name": given, "size": upload.size / 1024 / 1024, "limit": megabytes(limit)}
        )
    file_type = sniff(upload)
    if file_type is None:
        upload.seek(0)
        old_office = upload.read(8) == _OLE_MAGIC
        message = _("文件“%(name)s”不是可接受的文件类型（按文件内容判断，与文件扩展名无关）。") % {
            "name": given
        }
        if old_office:
            message += _("旧版 Word/Excel 文件（.doc/.xls）请另存为 .docx/.xlsx 后再上传。")
        message += _("资料印证只接受 PDF、JPEG/PNG 图片、Word（.docx）和 Excel（.xlsx）文件。")
        raise ValidationError(message)
    refusal = _active_content(upload, file_type)
    if refusal:
        raise ValidationError(
            _(
                "文件“%(name)s”未上传：%(why)s。请另存为不含脚本和宏的文件（如“打印为 PDF”、另存为 .docx/.xlsx）后再上传。"
            )
            % {"name": given, "why": refusal}
        )
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    thumbnail = _thumbnail(upload, file_type, given) if file_type.is_image else None
    upload.seek(0)
    return CheckedFile(
        upload=upload,
        name=clean_name(upload.name, file_type),
        file_type=file_type,
        size=size,
        sha256=digest.hexdigest(),
        thumbnail=thumbnail,
    )


def _active_content(upload, file_type: FileType) -> str | None:
    """Why a PDF or an Office file would run something when opened (or be a zip bomb), or None."""
    upload.seek(0)
    try:
        if file_type == PDF:
            return pdf_active_content(upload.read())
        if file_type in (DOCX, XLSX):
            check_zip(upload, limits=DOCUMENT_LIMITS)
            with zipfile.ZipFile(upload) as archive:
                return office_macros(archive)
        return None
    except ZipRefused as refused:
        return str(refused).rstrip("。")
    finally:
        upload.seek(0)


def megabytes(limit: int) -> str:
    mb = limit / 1024 / 1024
    return f"{mb:.0f}" if mb == int(mb) else f"{mb:.1f}"


# --- attaching and deleting -------------------------------------------------------------------


def _one_finding(deduction: Deduction | None, problem: Problem | None) -> Deduction | Problem:
    if (deduction is None) == (problem is None):
        raise TypeError("evidence belongs to exactly one of a deduction or a problem")
    return deduction if deduction is not None else problem


def evidence_attach_many(
    *, deduction: Deduction | None = None, problem: Problem | None = None, uploads: list, user
) -> list[Evidence]:
    """Attach several files at once: every file is checked first, and if any is refused none is
    stored (the ValidationError lists every refused file)."""
    finding = _one_finding(deduction, problem)
    if not uploads:
        raise ValidationError(_("请选择要上传的文件。"))
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    stored: list[str] = []
    try:
        with transaction.atomic():
            target = lock_editable(finding.target)
            # The finding may have been deleted while the files were being checked.
            if not type(finding).objects.filter(pk=finding.pk, target=target).exists():
                raise ValidationError(_("该条记录已被删除，文件未上传。"))
            created = []
            for item in checked:
                evidence = Evidence(
                    target=target,
                    deduction=deduction,
                    problem=problem,
                    original_name=item.name,
                    content_type=item.file_type.content_type,
                    size=item.size,
                    sha256=item.sha256,
                    uploaded_by=user,
                )
                key = uuid.uuid4().hex
                evidence.file.save(f"{key}.{item.file_type.extension}", item.upload, save=False)
                stored.append(evidence.file.name)
                if item.thumbnail is not None:
                    evidence.thumbnail.save(f"{key}.jpg", ContentFile(item.thumbnail), save=False)
                    stored.append(evidence.thumbnail.name)
                evidence.save()
                audit(
                    target=target,
                    user=user,
                    action=AuditEntry.Action.CREATE,
                    obj=evidence,
                    before=None,
                    after=evidence.audit_snapshot(),
                )
                created.append(evidence)
    except BaseException:
        delete_files(stored)
        raise
    return created


def evidence_attach(
    *, deduction: Deduction | None = None, problem: Problem | None = None, upload: UploadedFile, user
) -> Evidence:
    """Attach one file to a deduction or a problem (exactly one of them)."""
    (evidence,) = evidence_attach_many(deduction=deduction, problem=problem, uploads=[upload], user=user)
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user) -> None:
    """Delete a file: the row now, the stored files once the transaction has committed."""
    target = lock_editable(evidence.target)
    evidence = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
    if evidence is None:  # deleted meanwhile (a double click)
        return
    names = [evidence.file.name, evidence.thumbnail.name]
    audit(
        target=target,
        user=user,
        action=AuditEntry.Action.DELETE,
        obj=evidence,
        before=evidence.audit_snapshot(),
        after=None,
    )
    evidence.delete()
    transaction.on_commit(lambda: delete_files(names))
