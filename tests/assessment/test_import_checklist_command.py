"""`manage.py import_checklist FILE.xlsx --campaign ID_OR_TITLE [--create] [--dry-run] [--user USERNAME]`."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from assessment.importing import checklist_as_json
from assessment.models import Campaign, ChecklistChange, ChecklistItem, Criterion
from tests.assessment.test_checklist_import import EXPECTED, checklist_file, item_rows
from tests.factories import ChecklistItemFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "2021年度党建工作年终考核"
SUMMARY = [
    "  1. 落实全面从严治党主体责任：15 分，评分标准 3 条，牵头单位 市委组织部",
    "  2. 党的统一战线工作和民族宗教工作：10 分，评分标准 2 条，牵头单位 市委统战部",
    "  3. 老干部工作：5 分，评分标准 1 条，牵头单位 市委老干部局",
    "  4. 落实网络安全工作责任制：10 分，评分标准 2 条，牵头单位 市委网信办",
    "  已忽略的列：A列“序号”",
]


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def campaign():
    return Campaign.objects.create(title=TITLE, year=2021)


def write(tmp_path, *rows, name="清单.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(checklist_file(*(rows or item_rows()), ["合计", None, 40]))
    return str(path)


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_checklist", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args) -> str:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import_checklist", *args, stdout=io.StringIO(), stderr=err)
    assert exc.value.code == 1
    return err.getvalue()


def test_command_imports_into_a_campaign_named_by_title(tmp_path, campaign, superuser):
    out, err = run(write(tmp_path), "--campaign", TITLE)

    assert err == ""
    assert out.splitlines() == [
        f"导入完成：清单.xlsx 工作表 考核项目清单 → 考核工作“{TITLE}”，考核项目 4 项，评分标准 8 条，总分 40 分。",
        *SUMMARY,
    ]
    assert checklist_as_json(campaign) == EXPECTED
    change = ChecklistChange.objects.get()
    assert (change.changed_by, change.reason) == (superuser, "导入文件 清单.xlsx")


def test_command_finds_the_campaign_by_id_and_reports_the_replaced_items(tmp_path, campaign, superuser):
    ChecklistItemFactory(campaign=campaign, title="旧项目")

    out, _err = run(write(tmp_path), "--campaign", str(campaign.pk))

    assert out.splitlines()[1] == "  已替换原有的 1 个考核项目。"
    assert checklist_as_json(campaign) == EXPECTED


def test_command_records_the_given_user(tmp_path, campaign, superuser):
    user = UserFactory(username="zhaoliu")

    run(write(tmp_path), "--campaign", TITLE, "--user", "zhaoliu")

    assert ChecklistChange.objects.get().changed_by == user


def test_dry_run_writes_nothing_and_needs_no_superuser(tmp_path, campaign):
    out, _err = run(write(tmp_path), "--campaign", TITLE, "--dry-run")

    assert out.splitlines()[0] == (
        f"试运行（未写入）：清单.xlsx 工作表 考核项目清单 → 考核工作“{TITLE}”，"
        "考核项目 4 项，评分标准 8 条，总分 40 分。"
    )
    assert not ChecklistItem.objects.exists()
    assert not ChecklistChange.objects.exists()


def test_create_makes_the_campaign_with_the_year_from_its_title(tmp_path, superuser):
    out, _err = run(write(tmp_path), "--campaign", "2023年度党建工作年终考核", "--create")

    campaign = Campaign.objects.get()
    assert (campaign.title, campaign.year, campaign.status) == ("2023年度党建工作年终考核", 2023, "preparing")
    assert checklist_as_json(campaign) == EXPECTED
    assert out.splitlines()[1] == "  已新建考核工作“2023年度党建工作年终考核”（2023年度）。"


def test_create_uses_an_existing_campaign(tmp_path, campaign, superuser):
    run(write(tmp_path), "--campaign", TITLE, "--create")

    assert Campaign.objects.get() == campaign
    assert checklist_as_json(campaign) == EXPECTED


def test_create_with_dry_run_creates_nothing(tmp_path):
    out, _err = run(write(tmp_path), "--campaign", "2023年度党建工作年终考核", "--create", "--dry-run")

    assert out.splitlines()[1] == "  将新建考核工作“2023年度党建工作年终考核”（2023年度）。"
    assert not Campaign.objects.exists()
    assert not ChecklistItem.objects.exists()


def test_errors_are_printed_and_exit_with_code_1(tmp_path, campaign, superuser):
    rows = item_rows()
    rows[0][2] = "十五"
    rows[5][3:6] = [None, None, None]  # 老干部工作 loses its only criterion

    err = run_failing(write(tmp_path, *rows), "--campaign", TITLE)

    assert err.splitlines() == [
        "清单.xlsx：发现 2 个错误，未写入任何数据。",
        "  工作表 考核项目清单 第3行 “分值”（C列）：分值“十五”不是有效的数字，请填写如 10 或 10分",
        "  工作表 考核项目清单 第8行 “考核内容及评分标准”（D列）：考核项目“老干部工作”没有考核内容及评分标准",
    ]
    assert not ChecklistItem.objects.exists()


def test_errors_with_create_leave_no_campaign_behind(tmp_path, superuser):
    rows = item_rows()
    rows[0][2] = 0

    err = run_failing(write(tmp_path, *rows), "--campaign", "2023年度党建工作年终考核", "--create")

    assert "分值必须大于0（填写的是“0”）" in err
    assert not Campaign.objects.exists()
    assert not Criterion.objects.exists()


def test_a_wrong_total_exits_with_code_1(tmp_path, campaign, superuser):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(checklist_file(*item_rows(), ["合计", None, 100]))

    err = run_failing(str(path), "--campaign", TITLE)

    assert "合计分值100分与各考核项目分值之和40分不一致" in err


def test_unknown_campaign_without_create_is_refused(tmp_path, superuser):
    with pytest.raises(CommandError, match="找不到考核工作“2023年度党建工作年终考核”"):
        run(write(tmp_path), "--campaign", "2023年度党建工作年终考核")


def test_create_needs_a_year_in_the_title(tmp_path, superuser):
    with pytest.raises(CommandError, match="无法从名称“党建工作年终考核”中确定考核年度"):
        run(write(tmp_path), "--campaign", "党建工作年终考核", "--create")
    assert not Campaign.objects.exists()


def test_without_a_superuser_a_user_must_be_named(tmp_path, campaign):
    with pytest.raises(CommandError, match="系统中没有超级管理员，请用 --user 指定"):
        run(write(tmp_path), "--campaign", TITLE)
    with pytest.raises(CommandError, match="找不到用户“nobody”"):
        run(write(tmp_path), "--campaign", TITLE, "--user", "nobody")
    assert not ChecklistItem.objects.exists()


def test_unreadable_file_is_a_command_error(tmp_path, campaign, superuser):
    with pytest.raises(CommandError, match="无法读取文件"):
        run(str(tmp_path / "没有这个文件.xlsx"), "--campaign", TITLE)


def test_a_file_that_is_not_a_workbook_exits_with_code_1(tmp_path, campaign, superuser):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(b"not a workbook")

    err = run_failing(str(path), "--campaign", TITLE)

    assert (
        err.splitlines()[1] == "  文件不是 Excel 工作簿（.xlsx）。请上传用 Excel 或 WPS 保存的 .xlsx 文件。"
    )


def test_scores_keep_their_decimals(tmp_path, campaign, superuser):
    rows = [[1, "老干部工作", "7.5分", "标准甲", 2.25, "", ""]]
    path = tmp_path / "清单.xlsx"
    path.write_bytes(checklist_file(*rows))

    out, _err = run(str(path), "--campaign", TITLE)

    assert "总分 7.5 分" in out.splitlines()[0]
    assert Criterion.objects.get().points == Decimal("2.25")
