"""Hostile files uploaded as typed paper ballots (导入纸质票): zip bombs, workbooks built to exhaust the
parser, a damaged archive, something that is not a workbook, a DOCTYPE, a formula without its result.
Each is refused with a clear message in Chinese, in little memory, and nothing is written: no
ballot, no batch, no kept file."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.models import CampaignReviewer
from ballots.models import BallotImport, CastBallot, PaperBatch
from tests.factories import UserFactory, form_token
from tests.hostile_files import (
    _SHEET_HEAD,
    many_strings,
    replace_part,
    sheet_bomb,
    wide_row,
    workbook_bomb,
)
from tests.xlsx_builder import make_xlsx

ROOT = Path(__file__).resolve().parent.parent.parent
HEADER = ["序号", "测评人类别", "城关镇", "河口乡", "县教育局"]


def _good() -> bytes:
    return make_xlsx([HEADER, [1, "县级领导干部", "好", "较好", "差"]], title_rows=["纸质测评票录入表"])


def _doctype() -> bytes:
    """The sheet's XML opened with a DOCTYPE declaring an external entity (XXE)."""
    return replace_part(
        _good(),
        "xl/worksheets/sheet1.xml",
        prefix=b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + _SHEET_HEAD[len(b'<?xml version="1.0" encoding="UTF-8"?>') :]
        + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>',
        filler=b"",
        repeat=0,
        suffix=b"</sheetData></worksheet>",
    )


def _formula() -> bytes:
    """A mark typed as a formula (no stored result): a DDE payload, as a hostile sheet would carry."""
    return make_xlsx(
        [HEADER, [1, "县级领导干部", "好", "=cmd|' /C calc'!A0", "差"]], title_rows=["纸质测评票录入表"]
    )


HOSTILE = [
    ("bomb", lambda: workbook_bomb(megabytes=1024), "压缩炸弹"),
    ("sheet-bomb", lambda: sheet_bomb(megabytes=1024), "压缩炸弹"),
    ("wide-row", lambda: wide_row(megabytes=95), "第2行有超过 16,384 个单元格"),
    ("many-strings", lambda: many_strings(megabytes=80), "共享文字表中的文字超过 1,000,000 条"),
    ("truncated", lambda: _good()[: len(_good()) // 2], "损坏"),
    ("not-a-workbook", lambda: b"%PDF-1.7\n1 0 obj<<>>endobj\n" * 50, "文件不是 Excel 工作簿"),
    ("doctype", _doctype, "文档类型声明"),
    ("formula", _formula, "公式"),
]


@pytest.fixture
def reviewer_client(open_ballot, client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    reviewer = UserFactory(username="hostile_reviewer")
    CampaignReviewer.objects.create(campaign=open_ballot["campaign"], user=reviewer)
    client.force_login(reviewer)
    return client


def _kept_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("name", "build", "refusal"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_explained_and_nothing_is_written(
    open_ballot, reviewer_client, settings, name, build, refusal
):
    ballot = open_ballot["ballot"]
    response = reviewer_client.post(
        f"/ballots/{ballot.pk}/import/",
        {"file": SimpleUploadedFile(f"{name}.xlsx", build()), "form_token": form_token()},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert refusal in page, page[page.find("<main") :][:3000]
    assert "未导入任何测评票" in page and 'data-testid="import-confirm"' not in page
    upload = BallotImport.objects.get()
    assert upload.status == BallotImport.Status.FAILED and upload.file.name == ""
    confirm = reviewer_client.post(f"/ballots/imports/{upload.pk}/confirm/", follow=True)
    assert "不能导入" in confirm.content.decode()
    assert not CastBallot.objects.exists() and not PaperBatch.objects.exists()
    assert _kept_files(settings) == []


def test_the_formula_is_named_by_row_and_column(open_ballot, reviewer_client):
    ballot = open_ballot["ballot"]
    reviewer_client.post(
        f"/ballots/{ballot.pk}/import/",
        {"file": SimpleUploadedFile("formula.xlsx", _formula()), "form_token": form_token()},
    )
    errors = BallotImport.objects.get().summary["errors"]
    assert any("第3行" in e and "河口乡" in e and "D列" in e and "公式" in e for e in errors), errors


PEAK = """
import os, sys
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
import django
django.setup()
import tests.hostile_files
data = tests.hostile_files.{builder}()
from ballots.importing import Shape, read_paper_sheet
shape = Shape(subjects=[("1", ("城关镇",))], categories=["县级领导干部"], options=["好", "较好", "一般", "差"])
with open("/proc/self/clear_refs", "w") as reset:
    reset.write("5")  # the peak counts from here: reading alone, not building the file
sheet = read_paper_sheet(data=data, file_name="bomb.xlsx", shape=shape)
print(*[str(issue) for issue in sheet.errors[:3]] or ["ACCEPTED"])
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(int(peak.split()[1]) // 1024)
"""


@pytest.mark.parametrize(
    ("builder", "refusal"),
    [("workbook_bomb", "压缩炸弹"), ("many_strings", "共享文字表中的文字超过 1,000,000 条")],
)
def test_reading_a_hostile_file_peaks_far_below_500_mb(builder, refusal):
    script = PEAK.format(root=str(ROOT), builder=builder)
    env = {**os.environ, "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, env=env, timeout=180
    )
    assert result.returncode == 0, result.stderr
    *message, peak = result.stdout.strip().splitlines()
    assert refusal in " ".join(message), message
    assert int(peak) < 500, (peak, message)
