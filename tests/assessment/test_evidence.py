"""Evidence (资料印证): type by content, size cap, permission-checked downloads, thumbnails, audit."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from assessment.models import AuditEntry, Evidence
from assessment.services import evidence as services
from assessment.services.editing import TargetLocked
from tests.factories import form_token

# --- files made on the spot ------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt: str, size=(320, 200), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (183, 28, 28)).save(out, fmt, **save)
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "台账"
    book.save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


# --- fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def pdf(media, setup, deduction) -> Evidence:
    return services.evidence_attach(
        deduction=deduction, upload=upload("检查记录.pdf", PDF_BYTES), user=setup["member"]
    )


# --- accepted types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "content_type", "extension"),
    [
        ("检查记录.pdf", lambda: PDF_BYTES, "application/pdf", "pdf"),
        ("现场.png", lambda: image_bytes("PNG"), "image/png", "png"),
        ("现场.jpg", lambda: image_bytes("JPEG"), "image/jpeg", "jpg"),
        ("汇报.docx", docx_bytes, services.DOCX.content_type, "docx"),
        ("台账.xlsx", xlsx_bytes, services.XLSX.content_type, "xlsx"),
    ],
)
def test_each_accepted_type_is_stored_with_its_sniffed_type(
    media, setup, deduction, name, make, content_type, extension
):
    data = make()
    # The browser's claim is ignored: the content decides.
    e = services.evidence_attach(
        deduction=deduction, upload=upload(name, data, "text/html"), user=setup["member"]
    )
    e.refresh_from_db()
    assert e.content_type == content_type
    assert e.original_name == name
    assert e.size == len(data)
    assert e.sha256 == hashlib.sha256(data).hexdigest()
    assert e.target == setup["qs_target"] and e.deduction == deduction and e.problem is None
    assert e.uploaded_by == setup["member"]
    # Stored under a random name with the sniffed extension, not the user's name.
    assert e.file.name.startswith("evidence/") and e.file.name.endswith(f".{extension}")
    assert name not in e.file.name
    assert (media / e.file.name).read_bytes() == data
    assert bool(e.thumbnail) is e.is_image


def test_the_content_decides_not_the_name(media, setup, problem):
    e = services.evidence_attach(
        problem=problem,
        upload=upload("照片.pdf", image_bytes("PNG"), "application/pdf"),
        user=setup["leader"],
    )
    assert e.content_type == "image/png" and e.file.name.endswith(".png")
    assert e.original_name == "照片.pdf"  # kept as given, for the reader


def test_the_name_loses_folders_and_invisible_characters(media, setup, problem):
    e = services.evidence_attach(
        problem=problem, upload=upload("C:\\材料\\会议\u202e记录.pdf", PDF_BYTES), user=setup["leader"]
    )
    assert e.original_name == "会议记录.pdf"


def test_image_thumbnail_is_a_small_upright_jpeg(media, setup, deduction):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to show
    data = image_bytes("JPEG", size=(800, 400), exif=exif.tobytes())
    e = services.evidence_attach(deduction=deduction, upload=upload("横拍.jpg", data), user=setup["member"])
    with Image.open(media / e.thumbnail.name) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (120, 240)  # portrait once turned, within 240×240


def test_transparent_png_gets_a_thumbnail(media, setup, deduction):
    out = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(out, "PNG")
    e = services.evidence_attach(
        deduction=deduction, upload=upload("透明.png", out.getvalue()), user=setup["member"]
    )
    assert e.thumbnail


# --- refused files: nothing stored ----------------------------------------------------------------


def _refused(media, setup, deduction, file, match: str):
    with pytest.raises(ValidationError) as exc:
        services.evidence_attach(deduction=deduction, upload=file, user=setup["member"])
    assert match in " ".join(exc.value.messages)
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.exists()
    assert stored_files(media) == []
    return " ".join(exc.value.messages)


def test_renamed_executable_is_refused(media, setup, deduction):
    message = _refused(
        media,
        setup,
        deduction,
        upload("证据.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"),
        "证据.pdf",
    )
    assert "不是可接受的文件类型" in message and "PDF" in message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("材料.docx", plain_zip()),
        ("旧报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("说明.txt", "一段文字".encode()),
        ("页面.pdf", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_other_types_are_refused(media, setup, deduction, name, data):
    _refused(media, setup, deduction, upload(name, data), "不是可接受的文件类型")


def test_old_office_files_get_a_hint(media, setup, deduction):
    message = _refused(
        media,
        setup,
        deduction,
        upload("旧报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
        "旧报告.doc",
    )
    assert ".docx" in message


def test_oversized_file_is_refused(media, settings, setup, deduction):
    settings.EVIDENCE_MAX_BYTES = 1024
    message = _refused(media, setup, deduction, upload("扫描件.pdf", PDF_BYTES + b"0" * 1024), "扫描件.pdf")
    assert "过大" in message


def test_default_cap_is_20_mb(settings):
    assert not hasattr(settings, "EVIDENCE_MAX_BYTES") or settings.EVIDENCE_MAX_BYTES == 20 * 1024 * 1024
    assert services.max_bytes() == 20 * 1024 * 1024


def test_empty_file_is_refused(media, setup, deduction):
    _refused(media, setup, deduction, upload("空.pdf", b""), "是空的")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("坏图.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20),
        ("半张.jpg", image_bytes("JPEG", size=(400, 300))[:600]),
    ],
)
def test_corrupt_image_is_refused(media, setup, deduction, name, data):
    _refused(media, setup, deduction, upload(name, data), "图片已损坏")


def test_decompression_bomb_is_refused(media, setup, deduction, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    _refused(media, setup, deduction, upload("巨图.png", image_bytes("PNG", size=(40, 40))), "像素过多")


def test_one_bad_file_stores_none(media, setup, deduction):
    with pytest.raises(ValidationError) as exc:
        services.evidence_attach_many(
            deduction=deduction,
            uploads=[upload("好.pdf", PDF_BYTES), upload("坏.pdf", b"MZ" + b"\0" * 50)],
            user=setup["member"],
        )
    assert "坏.pdf" in exc.value.messages[0]
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_files_are_removed_when_the_database_write_fails(media, setup, deduction, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("database is gone")

    monkeypatch.setattr(services, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        services.evidence_attach(
            deduction=deduction, upload=upload("图.png", image_bytes("PNG")), user=setup["member"]
        )
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_submitted_target_refuses_the_service(media, setup, deduction):
    target = setup["qs_target"]
    target.status = "submitted"
    target.save(update_fields=["status"])
    with pytest.raises(TargetLocked):
        services.evidence_attach(
            deduction=deduction, upload=upload("记录.pdf", PDF_BYTES), user=setup["leader"]
        )
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_exactly_one_finding():
    with pytest.raises(TypeError):
        services.evidence_attach_many(uploads=[], user=None)


# --- audit and delete -----------------------------------------------------------------------------


def test_upload_is_audited(pdf, setup):
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.model == "assessment.evidence" and entry.object_id == pdf.pk
    assert entry.target == setup["qs_target"] and entry.actor == setup["member"]
    assert entry.after == {"original_name": "检查记录.pdf", "size": len(PDF_BYTES)}
    assert "检查记录.pdf" in entry.label


def test_delete_is_audited_and_removes_the_file(pdf, media, setup, django_capture_on_commit_callbacks):
    path = media / pdf.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=pdf, user=setup["leader"])
    assert not Evidence.objects.exists()
    assert not path.exists()
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).get()
    assert (
        entry.object_id == pdf.pk and entry.before["original_name"] == "检查记录.pdf" and entry.after is None
    )


def test_delete_removes_the_thumbnail_too(media, setup, deduction, django_capture_on_commit_callbacks):
    e = services.evidence_attach(
        deduction=deduction, upload=upload("图.png", image_bytes("PNG")), user=setup["member"]
    )
    assert len(stored_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=e, user=setup["member"])
    assert stored_files(media) == []


# --- downloads: only through the permission check -------------------------------------------------


def test_anonymous_download_goes_to_login(client, pdf):
    response = client.get(reverse("campaigns:evidence_file", args=[pdf.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["other", "outsider"])
def test_download_outside_scope_is_404(login, setup, pdf, who):
    client = login(setup[who])
    assert client.get(reverse("campaigns:evidence_file", args=[pdf.pk])).status_code == 404


def test_reviewer_downloads_with_safe_headers(login, setup, pdf):
    response = login(setup["reviewer"]).get(reverse("campaigns:evidence_file", args=[pdf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=0"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the Chinese name survives
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_group_member_downloads_an_office_file_as_attachment(login, media, setup, problem):
    data = xlsx_bytes()
    e = services.evidence_attach(problem=problem, upload=upload("台账.xlsx", data), user=setup["leader"])
    response = login(setup["member"]).get(reverse("campaigns:evidence_file", args=[e.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == services.XLSX.content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == data


def test_thumbnail_view(login, media, setup, deduction, pdf):
    img = services.evidence_attach(
        deduction=deduction, upload=upload("图.png", image_bytes("PNG")), user=setup["member"]
    )
    client = login(setup["member"])
    response = client.get(reverse("campaigns:evidence_thumbnail", args=[img.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("campaigns:evidence_thumbnail", args=[pdf.pk])).status_code == 404
    assert (
        login(setup["other"]).get(reverse("campaigns:evidence_thumbnail", args=[img.pk])).status_code == 404
    )


def test_files_have_no_public_url(pdf, client, settings):
    assert client.get(f"{settings.MEDIA_URL}{pdf.file.name}").status_code in (302, 404)


# --- upload and delete views --------------------------------------------------------------------------


def _upload_url(deduction):
    return reverse("campaigns:deduction_evidence", args=[deduction.pk])


def test_reviewer_cannot_upload(login, media, setup, deduction):
    response = login(setup["reviewer"]).post(_upload_url(deduction), {"file": upload("记录.pdf", PDF_BYTES)})
    assert response.status_code == 403
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_other_group_cannot_see_the_upload_url(login, media, setup, deduction):
    response = login(setup["other"]).post(_upload_url(deduction), {"file": upload("记录.pdf", PDF_BYTES)})
    assert response.status_code == 404


def test_upload_on_a_submitted_target_is_403(login, media, setup, deduction):
    target = setup["qs_target"]
    target.status = "submitted"
    target.save(update_fields=["status"])
    response = login(setup["leader"]).post(_upload_url(deduction), {"file": upload("记录.pdf", PDF_BYTES)})
    assert response.status_code == 403
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_htmx_upload_of_several_files_returns_the_partial(login, media, setup, deduction):
    files = [upload("记录.pdf", PDF_BYTES), upload("现场.jpg", image_bytes("JPEG"))]
    response = login(setup["member"]).post(
        _upload_url(deduction), {"file": files, "form_token": form_token()}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="evidence-deduction-{deduction.pk}"' in html
    assert "记录.pdf" in html and "bi-file-earmark-pdf" in html
    image = deduction.evidence.get(content_type="image/jpeg")
    assert reverse("campaigns:evidence_thumbnail", args=[image.pk]) in html and 'class="app-thumb"' in html
    assert 'type="file"' in html and "multiple" in html
    assert deduction.evidence.count() == 2


def test_htmx_upload_with_a_bad_file_is_422_and_stores_nothing(login, media, setup, problem):
    files = [upload("记录.pdf", PDF_BYTES), upload("证据.pdf", b"MZ" + b"\0" * 50)]
    url = reverse("campaigns:problem_evidence", args=[problem.pk])
    response = login(setup["member"]).post(
        url, {"file": files, "form_token": form_token()}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "证据.pdf" in html and "alert-danger" in html and f'id="evidence-problem-{problem.pk}"' in html
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_plain_upload_redirects_to_a_safe_next(login, media, setup, deduction):
    client = login(setup["member"])
    response = client.post(
        _upload_url(deduction),
        {"file": upload("记录.pdf", PDF_BYTES), "next": "/campaigns/x/", "form_token": form_token()},
    )
    assert response.status_code == 302 and response["Location"] == "/campaigns/x/"
    response = client.post(
        _upload_url(deduction),
        {"file": upload("记录.pdf", PDF_BYTES), "next": "https://evil.example/", "form_token": form_token()},
    )
    assert response["Location"] == setup["qs_target"].get_absolute_url()
    assert deduction.evidence.count() == 2


def test_plain_upload_error_is_a_message(login, media, setup, deduction):
    client = login(setup["member"])
    response = client.post(
        _upload_url(deduction), {"file": upload("空.pdf", b""), "form_token": form_token()}, follow=False
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("是空的" in m for m in messages)


def test_delete_view(login, media, setup, pdf, django_capture_on_commit_callbacks):
    url = reverse("campaigns:evidence_delete", args=[pdf.pk])
    assert login(setup["reviewer"]).post(url).status_code == 403
    client = login(setup["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "检查记录.pdf" not in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, model="assessment.evidence").exists()


def test_partial_read_only_has_no_forms(rf, setup, pdf):
    from django.template.loader import render_to_string

    from assessment.views.evidence import evidence_context

    html = render_to_string(
        "assessment/workspace/_evidence.html",
        evidence_context(pdf.deduction, can_edit=False),
        request=rf.get("/"),
    )
    assert "<form" not in html and "检查记录.pdf" in html and "<script" not in html and "style=" not in html
