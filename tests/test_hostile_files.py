"""Zip bombs and hostile archives are refused before anything is unpacked, in little memory,
with a clear message, and leave nothing behind."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import ChecklistImport
from core.xlsx import WorkbookError, open_workbook
from core.zipcheck import XmlLimits, ZipLimits, ZipRefused, check_workbook_xml, check_zip
from tests.factories import CampaignFactory, form_token
from tests.hostile_files import _SHEET_HEAD, _SST_HEAD, many_entries, replace_part, workbook_bomb
from tests.xlsx_builder import make_xlsx
from units.models import RosterImport, Unit

ROOT = Path(__file__).resolve().parent.parent


def test_a_real_workbook_passes():
    rows = [["单位名称", "单位类别", "上级单位"]] + [[f"第{i}村", "村", "青山县/城关镇"] for i in range(3000)]
    entries = check_zip(make_xlsx(rows))
    assert any(e.filename == "xl/worksheets/sheet1.xml" for e in entries)


def test_a_shared_string_bomb_is_refused_from_the_directory():
    with pytest.raises(WorkbookError) as refused:
        open_workbook(workbook_bomb(megabytes=1024))
    assert "xl/sharedStrings.xml" in str(refused.value)
    assert "1024 MB" in str(refused.value) and "压缩炸弹" in str(refused.value)


def test_a_high_ratio_part_under_the_size_cap_is_refused():
    data = workbook_bomb(megabytes=60)
    with pytest.raises(ZipRefused, match="压缩比异常"):
        check_zip(data)


def test_total_and_entry_count_limits():
    with pytest.raises(ZipRefused, match="部件"):
        check_zip(many_entries(6000))
    small = ZipLimits(max_total_bytes=1024, ratio_floor=10**9)
    with pytest.raises(ZipRefused, match="解压后超过"):
        check_zip(make_xlsx([["单位名称"]] * 200), limits=small)


def _sheet(body: bytes) -> bytes:
    data = make_xlsx([["单位名称"]])
    return replace_part(
        data,
        "xl/worksheets/sheet1.xml",
        prefix=_SHEET_HEAD + body,
        filler=b"",
        repeat=0,
        suffix=b"</sheetData></worksheet>",
    )


def test_a_real_workbook_passes_the_xml_scan_with_its_sheet_named():
    rows = [["单位名称", "单位类别", "上级单位"]] + [[f"第{i}村", "村", "青山县/城关镇"] for i in range(3000)]
    check_workbook_xml(make_xlsx(rows))
    tight = XmlLimits(max_cells_per_row=2)
    with pytest.raises(ZipRefused, match="工作表“名册”第1行有超过 2 个单元格"):
        check_workbook_xml(make_xlsx(rows), limits=tight)


def test_prefixed_xml_is_counted_like_plain_xml():
    # Some generators write <x:row><x:c> with a namespace prefix.
    cells = b"".join(b'<x:c t="inlineStr"><x:is><x:t>%d</x:t></x:is></x:c>' % i for i in range(5))
    data = _sheet(b'<x:row r="7">' + cells + b"</x:row>")
    with pytest.raises(ZipRefused, match="第7行有超过 4 个单元格"):
        check_workbook_xml(data, limits=XmlLimits(max_cells_per_row=4))


def test_a_cell_longer_than_excel_allows_is_refused():
    long = b"A" * 32_768
    with pytest.raises(ZipRefused, match="第3行的一个单元格超过 32,767 个字符"):
        check_workbook_xml(_sheet(b'<row r="3"><c t="inlineStr"><is><t>' + long + b"</t></is></c></row>"))
    data = replace_part(
        make_xlsx([["单位名称"]]),
        "xl/sharedStrings.xml",
        prefix=_SST_HEAD + b"<si><t>",
        filler=long,
        repeat=1,
        suffix=b"</t></si></sst>",
    )
    with pytest.raises(ZipRefused, match="共享文字表第1条文字超过 32,767 个字符"):
        check_workbook_xml(data)


def test_a_doctype_is_refused_and_an_oversized_styles_part_too():
    data = replace_part(
        make_xlsx([["单位名称"]]),
        "xl/worksheets/sheet1.xml",
        prefix=b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData>',
        filler=b"",
        repeat=0,
        suffix=b"</sheetData></worksheet>",
    )
    with pytest.raises(WorkbookError, match="DOCTYPE"):
        open_workbook(data)
    styles = replace_part(
        make_xlsx([["单位名称"]]),
        "xl/styles.xml",
        prefix=b"<styleSheet>",
        filler=b"<xf/>" * 1000,
        repeat=1300,
        suffix=b"</styleSheet>",
    )
    with pytest.raises(WorkbookError, match="xl/styles.xml.*超过上限 6 MB"):
        open_workbook(styles)


def test_a_truncated_archive_is_damaged_not_a_traceback():
    data = make_xlsx([["单位名称", "单位类别"], ["云山市", "市"]])
    with pytest.raises(WorkbookError, match="损坏"):
        open_workbook(data[: len(data) // 2])


PEAK = """
import os, sys
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
import tests.hostile_files
data = tests.hostile_files.{builder}()
from {module} import {function}
with open("/proc/self/clear_refs", "w") as reset:
    reset.write("5")  # the peak counts from here: the call alone, not building the file
plan = {call}
print(plan.file_error or "ACCEPTED", *[issue.message for issue in plan.errors[:3]])
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(int(peak.split()[1]) // 1024)
"""

# Each plan function reports a refused file in its plan (file_error), it does not raise.
ROSTER = ("units.importing", "roster_plan", "roster_plan(data=data, file_name='bomb.xlsx')")
CHECKLIST = (
    "assessment.importing",
    "checklist_plan",
    "checklist_plan(data=data, file_name='bomb.xlsx', campaign=None)",
)


@pytest.mark.parametrize(
    "builder, target, refusal",
    [
        ("workbook_bomb", ROSTER, "压缩炸弹"),
        ("sheet_bomb", ROSTER, "压缩炸弹"),
        ("workbook_bomb", CHECKLIST, "压缩炸弹"),
        # Within the zip limits, but built to exhaust openpyxl: refused from the streamed XML.
        ("many_strings", ROSTER, "共享文字表中的文字超过 1,000,000 条"),
        ("wide_row", ROSTER, "第2行有超过 16,384 个单元格"),
        ("wide_row", CHECKLIST, "第2行有超过 16,384 个单元格"),
    ],
)
def test_hostile_workbooks_are_refused_peaking_far_below_500_mb(builder, target, refusal):
    module, function, call = target
    script = PEAK.format(root=str(ROOT), builder=builder, module=module, function=function, call=call)
    env = {**os.environ, "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, env=env, timeout=180
    )
    assert result.returncode == 0, result.stderr
    *message, peak = result.stdout.strip().splitlines()
    assert refusal in " ".join(message), message
    assert int(peak) < 500, (peak, message)


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    # Each test counts the files under its own media root, not a directory shared with the
    # other test workers.
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _media_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "imports"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_a_bomb_uploaded_as_a_roster_is_explained_and_leaves_no_file(admin_client, db, settings):
    files_before, units_before = _media_files(settings), Unit.objects.count()
    upload = SimpleUploadedFile("名册.xlsx", workbook_bomb(megabytes=1024))
    response = admin_client.post(
        reverse("units:import"), {"form_token": form_token(), "file": upload}, follow=True
    )
    assert response.status_code == 200
    assert "压缩炸弹" in response.content.decode()
    assert 'data-testid="confirm-import"' not in response.content.decode()
    assert Unit.objects.count() == units_before
    assert _media_files(settings) == files_before
    assert RosterImport.objects.get().file.name == ""


def test_a_bomb_uploaded_as_a_checklist_is_explained_and_leaves_no_file(admin_client, db, settings):
    campaign = CampaignFactory()
    files_before = _media_files(settings)
    upload = SimpleUploadedFile("清单.xlsx", workbook_bomb(megabytes=1024))
    response = admin_client.post(
        reverse("campaigns:checklist_import", args=[campaign.pk]),
        {"form_token": form_token(), "file": upload},
        follow=True,
    )
    assert response.status_code == 200
    assert "压缩炸弹" in response.content.decode()
    assert campaign.items.count() == 0
    assert _media_files(settings) == files_before
    assert ChecklistImport.objects.get().file.name == ""


def test_a_failed_upload_keeps_no_file_but_a_good_one_does(admin_client, db, settings):
    bad = SimpleUploadedFile(
        "名册.xlsx", make_xlsx([["单位名称", "单位类别", "上级单位"], ["石桥村", "村", "无此乡"]])
    )
    admin_client.post(reverse("units:import"), {"form_token": form_token(), "file": bad})
    good = SimpleUploadedFile(
        "名册.xlsx", make_xlsx([["单位名称", "单位类别", "上级单位"], ["云山市", "市", ""]])
    )
    admin_client.post(reverse("units:import"), {"form_token": form_token(), "file": good})
    failed, previewed = RosterImport.objects.order_by("pk")
    assert failed.status == RosterImport.Status.FAILED and failed.file.name == ""
    assert previewed.status == RosterImport.Status.PREVIEWED and previewed.file.name
    assert Path(previewed.file.path).exists()
