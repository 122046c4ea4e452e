"""Responses every app's views hand out the same way."""

from django.http import HttpResponse
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
