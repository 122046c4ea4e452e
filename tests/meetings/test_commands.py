"""The meeting commands, thin over the same services as the pages."""

import io

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import township
from tests.xlsx_builder import make_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["序号", "单位", "姓名", "职务", "述职方式"]


def test_import_speakers_checks_then_writes(meeting, setup, tmp_path):
    township(setup["qingshan"], "西河镇")
    good = tmp_path / "名单.xlsx"
    good.write_bytes(make_xlsx([HEADER, [1, "西河镇", "王五", "", "书面"]]))
    out = io.StringIO()
    call_command("import_speakers", str(good), "--meeting", meeting.title, "--dry-run", stdout=out)
    assert "第2行 西河镇 西河镇党委书记王五（书面述职）" in out.getvalue() and meeting.speakers.count() == 2
    call_command("import_speakers", str(good), "--meeting", str(meeting.pk), stdout=io.StringIO())
    assert meeting.speakers.count() == 3
    bad = tmp_path / "错误.xlsx"
    bad.write_bytes(make_xlsx([HEADER, [1, "无此镇", "赵六", "", ""]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 1 个错误，未导入任何述职人"):
        call_command("import_speakers", str(bad), "--meeting", str(meeting.pk), stderr=err)
    assert "错误.xlsx 工作表 名册 第2行 “单位”（B列）" in err.getvalue() and meeting.speakers.count() == 3
    with pytest.raises(CommandError, match="找不到述职评议会议“无此会议”"):
        call_command("import_speakers", str(good), "--meeting", "无此会议")


def test_export_meeting_script(meeting, tmp_path):
    path = tmp_path / "主持词.docx"
    call_command("export_meeting_script", "--meeting", str(meeting.pk), "-o", str(path), stdout=io.StringIO())
    text = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "一、首先请城关镇党委书记张三同志述职。" in text


def test_the_ballot_commands_find_a_ballot_by_its_meetings_title(meeting, setup):
    from ballots.management.shared import find_ballot
    from ballots.services.setup import ballot_for_meeting

    ballot = ballot_for_meeting(meeting=meeting, user=setup["admin"])
    assert find_ballot(meeting.title) == ballot
