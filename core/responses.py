"""Responses every app's views hand out the same way."""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file as a download named ``filename`` (Chinese names survive every browser)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return download(data, filename, XLSX)


def docx_response(data: bytes, filename: str) -> HttpResponse:
    return download(data, filename, DOCX)


def stored_file(field, filename: str) -> FileResponse:
    """A kept upload (a FileField's file) as a private download named ``filename``; 404 when the
    file is gone from storage."""
    try:
        stream = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stream, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response
