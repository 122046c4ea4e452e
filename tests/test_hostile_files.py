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
from core.zipcheck import ZipLimits, ZipRefused, check_zip
from tests.factories import CampaignFactory, form_token
from tests.hostile_files import many_entries, workbook_bomb  # sheet_bomb: by name in PEAK
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


def test_a_truncated_archive_is_damaged_not_a_traceback():
    data = make_xlsx([["单位名称", "单位类别"], ["云山市", "市"]])
    with pytest.raises(WorkbookError, match="损坏"):
        open_workbook(data[: len(data) // 2])


PEAK = """
import os, resource, sys
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
import django
django.setup()
from tests.hostile_files import {builder}
data = {builder}(megabytes=1024)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from {module} import {function}
try:
    {call}
except Exception as refused:
    print(type(refused).__name__, str(refused)[:60], file=sys.stderr)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.mark.parametrize(
    "builder, module, function, call",
    [
        ("workbook_bomb", "units.importing", "roster_plan", "roster_plan(data=data, file_name='bomb.xlsx')"),
        ("sheet_bomb", "units.importing", "roster_plan", "roster_plan(data=data, file_name='bomb.xlsx')"),
        (
            "workbook_bomb",
            "assessment.checklist_import",
            "checklist_plan",
            "checklist_plan(data=data, file_name='bomb.xlsx', campaign=None)",
        ),
    ],
)
def test_refusing_a_gigabyte_bomb_peaks_far_below_500_mb(builder, module, function, call):
    script = PEAK.format(root=str(ROOT), builder=builder, module=module, function=function, call=call)
    env = {**os.environ, "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    peak_mb = int(result.stdout.split()[-1])
    assert peak_mb < 500, (peak_mb, result.stderr)


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
