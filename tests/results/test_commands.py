"""final_results and export_bulletin: thin over the same services as the pages."""

import io
import json
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from results import services
from results.models import MeetingScore
from tests.results.helpers import finalize

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_final_results_json_gives_null_where_unknown_and_decimals_as_strings(world, tmp_path):
    campaign, targets, items = world["campaign"], world["targets"], world["items"]
    services.create_scheme(campaign=campaign)
    finalize(targets["青山县"], items, D("2.5"))
    MeetingScore.objects.create(
        campaign=campaign, unit=targets["青山县"].unit, score=D(88), entered_by=world["admin"]
    )
    data = json.loads(run("final_results", "--campaign", str(campaign.pk), "--json"))
    assert data["provisional"] is True
    qingshan = next(u for u in data["units"] if u["unit"] == "青山县")
    assert qingshan["components"] == {"实地考核": "97.50", "述职评议": "88.00", "民主测评": None}
    assert qingshan["score"] is None and qingshan["rank"] is None and qingshan["grade"] is None
    assert qingshan["bonus"] == "0.00" and qingshan["veto"] == [] and qingshan["manual"] is False

    path = tmp_path / "结果.xlsx"
    message = run("final_results", "--campaign", campaign.title, "-o", str(path))
    assert "（暂定）" in message
    sheet = openpyxl.load_workbook(path).active
    assert "结果尚未确认" in sheet["A1"].value


def test_export_bulletin_refuses_before_a_draft_and_writes_after(world, tmp_path):
    campaign = world["campaign"]
    services.create_scheme(campaign=campaign)
    with pytest.raises(CommandError, match="通报尚未起草"):
        run("export_bulletin", "--campaign", str(campaign.pk), "-o", str(tmp_path / "通报.docx"))
    services.draft_bulletin(campaign=campaign)
    assert "已导出通报（草稿）" in run(
        "export_bulletin", "--campaign", str(campaign.pk), "-o", str(tmp_path / "通报.docx")
    )
    assert (tmp_path / "通报.docx").read_bytes()[:2] == b"PK"


def test_final_results_without_a_scheme_says_so(world):
    with pytest.raises(CommandError, match="尚未制定考核办法"):
        run("final_results", "--campaign", str(world["campaign"].pk))


def test_the_demo_has_a_confirmed_year_and_a_provisional_one():
    call_command("load_demo", force=True, stdout=io.StringIO())
    previous = json.loads(run("final_results", "--campaign", "2020年度党建工作年终考核", "--json"))
    current = json.loads(run("final_results", "--campaign", "2021年度党建工作年终考核", "--json"))
    assert previous["provisional"] is False
    assert [u["grade"] for u in previous["units"]] == ["好", "较好", "较好"]  # 50% of 3: one 好
    assert current["provisional"] is True and all(u["score"] is None for u in current["units"])
    call_command("load_demo", force=True, stdout=io.StringIO())  # idempotent
    assert json.loads(run("final_results", "--campaign", "2020年度党建工作年终考核", "--json")) == previous
