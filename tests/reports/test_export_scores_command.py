"""`manage.py export_scores --campaign ID_OR_TITLE -o FILE.xlsx`."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from assessment.models import Problem, Target, TypicalExample
from reports.xlsx import SHEETS
from tests.factories import CampaignFactory
from tests.reports.test_scores import EXPECTED, EXPECTED_ORDER, build_campaign

pytestmark = pytest.mark.django_db

TITLE = "2021年度党建工作年终考核"


@pytest.fixture
def data() -> dict:
    data = build_campaign()
    target, item = data["targets"]["青山县"], data["items"][0]
    Problem.objects.create(target=target, item=item, text="问题", created_by=data["user"])
    Problem.objects.create(target=target, item=item, text="问题二", created_by=data["user"])
    TypicalExample.objects.create(target=target, title="典型")
    Target.objects.filter(pk=data["targets"]["红河县"].pk).update(status=Target.Status.FINALIZED)
    return data


def run(*args) -> str:
    out = io.StringIO()
    call_command("export_scores", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_exports_the_campaign_named_by_title(tmp_path, data):
    path = tmp_path / "得分汇总.xlsx"

    out = run("--campaign", TITLE, "-o", str(path))

    assert out.splitlines() == [
        f"已导出“{TITLE}”得分汇总到 {path}：考核对象 9 个（已定稿 1 个），考核项目 3 项，问题 2 条，典型经验 1 条。"
    ]
    workbook = load_workbook(path)
    assert workbook.sheetnames == list(SHEETS)
    ranking = list(workbook["总分排名"].iter_rows(min_row=3, max_row=2 + len(EXPECTED), values_only=True))
    assert [(r[0], r[1], r[5]) for r in ranking] == [
        (EXPECTED[n][2], n, str(EXPECTED[n][3].label)) for n in EXPECTED_ORDER
    ]


def test_finds_the_campaign_by_id_with_the_long_option(tmp_path, data):
    path = tmp_path / "out.xlsx"

    out = run("--campaign", f" {data['campaign'].pk} ", "--output", str(path))

    assert out.startswith(f"已导出“{TITLE}”")
    assert path.stat().st_size > 0


def test_an_unknown_campaign_is_an_error(tmp_path, data):
    with pytest.raises(CommandError, match="找不到考核工作“2099年度考核”"):
        run("--campaign", "2099年度考核", "-o", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="找不到考核工作“999999”"):
        run("--campaign", "999999", "-o", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


def test_a_reference_that_is_one_campaigns_id_and_anothers_title_is_ambiguous(tmp_path, data):
    reference = str(data["campaign"].pk)
    other = CampaignFactory(title=reference, year=2022)

    with pytest.raises(CommandError, match="同时对应多个考核工作") as exc:
        run("--campaign", reference, "-o", str(tmp_path / "x.xlsx"))
    assert f"编号 {other.pk}“{reference}”" in str(exc.value)
    assert not (tmp_path / "x.xlsx").exists()


def test_an_empty_reference_is_an_error(tmp_path, data):
    with pytest.raises(CommandError, match="请用 --campaign"):
        run("--campaign", "  ", "-o", str(tmp_path / "x.xlsx"))


def test_the_output_file_is_required(data):
    with pytest.raises(CommandError, match="-o/--output"):
        run("--campaign", TITLE)


def test_an_unwritable_output_is_an_error(tmp_path, data):
    with pytest.raises(CommandError, match="无法写入文件"):
        run("--campaign", TITLE, "-o", str(tmp_path / "no-such-folder" / "x.xlsx"))


def test_an_empty_campaign_exports_too(tmp_path):
    campaign = CampaignFactory(title="2030年度党建工作年终考核", year=2030)

    out = run("--campaign", campaign.title, "-o", str(tmp_path / "x.xlsx"))

    assert "考核对象 0 个（已定稿 0 个），考核项目 0 项，问题 0 条，典型经验 0 条。" in out


def test_the_titles_state_of_the_work_as_of_the_date_given(tmp_path, data):
    path = tmp_path / "x.xlsx"

    run("--campaign", TITLE, "-o", str(path), "--date", "2022-01-14")

    title = load_workbook(path)["总分排名"]["A1"].value
    assert title == f"{TITLE}得分汇总\n（截至2022年1月14日，8 个考核对象未定稿）"
    again = tmp_path / "again.xlsx"
    run("--campaign", TITLE, "-o", str(again), "--date", "2022-01-14")
    assert again.read_bytes() == path.read_bytes()


def test_a_date_that_is_not_a_date_is_an_error(tmp_path, data):
    with pytest.raises(CommandError, match="--date 的日期“2022年1月14日”无法识别"):
        run("--campaign", TITLE, "-o", str(tmp_path / "x.xlsx"), "--date", "2022年1月14日")
    assert not (tmp_path / "x.xlsx").exists()
