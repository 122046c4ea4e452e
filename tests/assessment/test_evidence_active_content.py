"""Evidence that would run something when opened is refused with the reason, and stores nothing;
long names are shortened."""

import io
import zipfile
import zlib

import pytest
from django.urls import reverse

from assessment.models import Evidence
from assessment.services import evidence as services
from core.active_content import pdf_active_content
from tests.assessment.test_evidence import (
    PDF_BYTES,
    _upload_url,
    docx_bytes,
    stored_files,
    upload,
    xlsx_bytes,
)
from tests.factories import form_token
from tests.hostile_files import replace_part


def pdf(*objects: bytes, tail: bytes = b"") -> bytes:
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (i, o) for i, o in enumerate(objects, start=1))
    return b"%PDF-1.7\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n" + tail


def object_stream(*objects: bytes) -> bytes:
    """An object stream (/Type /ObjStm) holding ``objects`` as objects 10, 11, …, compressed."""
    offsets, bodies, position = [], [], 0
    for i, body in enumerate(objects, start=10):
        offsets.append(b"%d %d" % (i, position))
        bodies.append(body + b"\n")
        position += len(body) + 1
    header = b" ".join(offsets) + b"\n"
    packed = zlib.compress(header + b"".join(bodies))
    return b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
        len(objects),
        len(header),
        len(packed),
        packed,
    )


def hex_object_stream(body: bytes) -> bytes:
    header = b"10 0\n"
    encoded = (header + body).hex().encode() + b">"
    return b"<< /Type /ObjStm /N 1 /First %d /Filter /ASCIIHexDecode /Length %d >>\nstream\n%s\nendstream" % (
        len(header),
        len(encoded),
        encoded,
    )


def a85_object_stream(body: bytes) -> bytes:
    import base64

    header = b"10 0\n"
    encoded = base64.a85encode(zlib.compress(header + body)) + b"~>"
    return (
        b"<< /Type /ObjStm /N 1 /First %d /Filter [/ASCII85Decode /FlateDecode] /Length %d >>\nstream\n%s\nendstream"
        % (len(header), len(encoded), encoded)
    )


def image(payload: bytes) -> bytes:
    """An image XObject whose (JPEG) bytes are ``payload``."""
    return b"<< /Type /XObject /Subtype /Image /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream" % (
        len(payload),
        payload,
    )


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (pdf(b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"), "JavaScript"),
        (pdf(b"<< /Type /Catalog /Names << /J#61vaScript 3 0 R >> >>"), "JavaScript"),
        (pdf(CATALOG, object_stream(b"<< /S /JavaScript /JS (this.exportDataObject()) >>")), "JavaScript"),
        (pdf(b"<< /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >>"), "Launch"),
        (pdf(b"<< /Type /Annot /Subtype /Widget /AA << /O 5 0 R >> >>"), "AA"),
        (pdf(b"<< /Type /Catalog /OpenAction << /S /URI /URI (http://evil.example/) >> >>"), "OpenAction"),
        (
            pdf(b"<< /Type /Catalog /OpenAction 2 0 R >>", b"<< /S /URI /URI (http://x.example/) >>"),
            "OpenAction",
        ),
        (pdf(CATALOG, tail=b"<html><script>alert(1)</script></html>"), "网页代码"),
        (pdf(CATALOG, tail=b"<!DOCTYPE html><body onload=x>"), "网页代码"),
        (
            pdf(CATALOG, b"<< /Type /Annot /Subtype /Link /A << /S /URI /URI (JavaScript:alert(1)) >> >>"),
            "javascript:",
        ),
        (pdf(CATALOG, b"<< /Type /Filespec /EF << /F 3 0 R >> >>", b"<< /Type /EmbeddedFile >>"), "附件"),
        (pdf(b"<< /Type /Catalog /AcroForm << /XFA 5 0 R >> >>"), "XFA"),
        # An object stream hidden behind ASCII filters is read all the same.
        (pdf(CATALOG, hex_object_stream(b"<< /S /JavaScript /JS (x) >>")), "JavaScript"),
        (pdf(CATALOG, a85_object_stream(b"<< /S /Launch /F (cmd.exe) >>")), "Launch"),
    ],
)
def test_active_pdfs_are_refused_with_the_reason(data, why):
    assert why in pdf_active_content(data)


@pytest.mark.parametrize(
    "data",
    [
        PDF_BYTES,
        pdf(b"<< /Type /Catalog /OpenAction [3 0 R /Fit] >>"),
        pdf(b"<< /Type /Catalog /OpenAction 2 0 R >>", b"[3 0 R /FitH null]"),
        pdf(b"<< /Type /Catalog /OpenAction << /S /GoTo /D [3 0 R /Fit] >> >>"),
        pdf(b"<< /Type /Catalog /OpenAction 10 0 R >>", object_stream(b"[3 0 R /XYZ 0 792 0]")),
        pdf(CATALOG, b"<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://www.gov.cn/) >> >>"),
    ],
)
def test_ordinary_pdfs_pass(data):
    assert pdf_active_content(data) is None


def test_names_occurring_by_chance_in_image_data_are_not_actions():
    # Megabytes of scanned pages are binary data in which "/AA " or "/JS)" and "<svg " turn up by
    # chance (about one 10 MB scan in three held "/AA" somewhere); only the file's structure and
    # its object streams can hold actions.
    import random

    noise = random.Random(7).randbytes(2_000_000)
    payload = noise[:500_000] + b"/AA /JS) /Launch <svg " + noise[500_000:] + b"\xff\xd9"
    data = pdf(CATALOG, b"<< /Type /Page /Resources << /XObject << /Im1 3 0 R >> >> >>", image(payload))
    assert pdf_active_content(data) is None
    # Without a /Length that can be trusted the body still ends at its endstream.
    assert pdf_active_content(data.replace(b"/Length %d" % len(payload), b"/Length 9 0 R")) is None


def _with_part(data: bytes, name: str, content: bytes = b"x", content_types: bytes | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if content_types is not None and info.filename == "[Content_Types].xml":
                body = content_types
            target.writestr(info.filename, body)
        if name:
            target.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("汇报.docx", _with_part(docx_bytes(), "word/vbaProject.bin")),
        ("台账.xlsx", _with_part(xlsx_bytes(), "xl/vbaProject.bin")),
        ("台账.xlsx", _with_part(xlsx_bytes(), "xl/activeX/activeX1.xml")),
        ("台账.xlsx", _with_part(xlsx_bytes(), "xl/macrosheets/sheet1.xml")),
        (
            "汇报.docx",
            _with_part(
                docx_bytes(),
                "",
                content_types=b'<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
            ),
        ),
    ],
)
def test_office_files_with_macros_are_refused_and_nothing_is_stored(
    login, media, setup, deduction, name, data
):
    response = login(setup["member"]).post(
        _upload_url(deduction),
        {"file": upload(name, data), "form_token": form_token()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f"文件“{name}”未上传" in html and ("宏" in html)
    assert not Evidence.objects.exists() and stored_files(media) == []


REMOTE_TEMPLATE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/attachedTemplate" Target="http://10.0.0.9/t.dotm" '
    b'TargetMode="External"/></Relationships>'
)


def test_a_word_file_loading_a_remote_template_is_refused(login, media, setup, deduction):
    data = _with_part(docx_bytes(), "word/_rels/settings.xml.rels", REMOTE_TEMPLATE_RELS)
    response = login(setup["member"]).post(
        _upload_url(deduction),
        {"file": upload("汇报.docx", data), "form_token": form_token()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "从外部地址加载模板" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []
    # A template kept inside the file (Word's own Normal.dotm reference) is harmless.
    local = REMOTE_TEMPLATE_RELS.replace(b' TargetMode="External"', b"").replace(b"http://10.0.0.9/", b"")
    services.evidence_attach(
        deduction=deduction,
        upload=upload("汇报.docx", _with_part(docx_bytes(), "word/_rels/settings.xml.rels", local)),
        user=setup["member"],
    )
    assert Evidence.objects.count() == 1


def test_a_long_name_sent_raw_by_a_browser_is_not_a_bad_request(login, media, setup, deduction):
    # Browsers put the file name raw (UTF-8) in the part's headers: 600 Chinese characters are
    # 1.8 KB, past Django's default 1 KB header limit ("Bad Request (400)" in English).
    name = ("关于" + "检" * 600 + "的报告.pdf").encode()
    boundary = "----boundary7MA4YWxk"
    body = b"".join(
        [
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="form_token"\r\n\r\n',
            form_token().encode() + b"\r\n",
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="file"; filename="' + name + b'"\r\n',
            b"Content-Type: application/pdf\r\n\r\n",
            PDF_BYTES + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
    )
    response = login(setup["member"]).generic(
        "POST",
        _upload_url(deduction),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, response.content.decode()[:300]
    stored = Evidence.objects.get().original_name
    assert stored.startswith("关于检") and stored.endswith(".pdf") and len(stored) == services.NAME_MAX


def test_an_active_pdf_upload_says_why_and_stores_nothing(login, media, setup, deduction):
    data = pdf(b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>")
    response = login(setup["member"]).post(
        _upload_url(deduction),
        {"file": upload("通知.pdf", data), "form_token": form_token()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "文件“通知.pdf”未上传：文件含有JavaScript 脚本" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_a_zip_bomb_posing_as_a_docx_is_refused(media, setup, deduction):
    bomb = replace_part(
        docx_bytes(),
        "word/document.xml",
        prefix=b"<w:document>",
        filler=b"A" * 2**20,
        repeat=512,
        suffix=b"</w:document>",
    )
    with pytest.raises(services.ValidationError, match="压缩炸弹"):
        services.evidence_attach(deduction=deduction, upload=upload("汇报.docx", bomb), user=setup["member"])
    assert stored_files(media) == []


def test_a_600_character_name_is_shortened_keeping_its_extension(login, media, setup, deduction):
    name = "关于" + "检" * 600 + "的报告.pdf"
    response = login(setup["member"]).post(
        _upload_url(deduction),
        {"file": upload(name, PDF_BYTES), "form_token": form_token()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    stored = Evidence.objects.get().original_name
    assert len(stored) == services.NAME_MAX
    # Django keeps the first 255 characters; the stored name is shortened in the middle from those.
    assert stored.startswith("关于检") and stored.endswith("检.pdf") and "…" in stored


def test_bad_request_page_is_chinese(client, db):
    from django.test import override_settings

    with override_settings(DEBUG=False):
        response = client.get(reverse("accounts:login"), HTTP_HOST="bad host name")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
    assert "Bad Request" not in response.content.decode()
