"""`manage.py import_units FILE.xlsx [--dry-run]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.xlsx_builder import make_xlsx
from units.models import Unit

pytestmark = pytest.mark.django_db

ROWS = [
    ["序号", "单位名称", "单位类别", "上级单位", "党组织书记", "身份证号"],
    [1, "红山市", "市", "", "", ""],
    [2, "红山县", "县", "红山市", "", ""],
    [3, "红旗镇", "乡镇", "红山县", "王五", ""],
    [4, "东村", "村", "红旗镇", "张三", ""],
    [5, "西村", "社区", "红旗镇", "", ""],
]


def write(tmp_path, rows=ROWS, name="名册.xlsx", **kwargs) -> str:
    path = tmp_path / name
    path.write_bytes(make_xlsx(rows, **kwargs))
    return str(path)


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_units", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args) -> str:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import_units", *args, stdout=io.StringIO(), stderr=err)
    assert exc.value.code == 1
    return err.getvalue()


def test_command_imports_the_file_and_prints_a_summary(tmp_path):
    out, err = run(write(tmp_path, title_rows=["红山市单位名册"]))

    assert err == ""
    assert out.splitlines() == [
        "导入完成：名册.xlsx 工作表 名册，新增 5，更新 0，不变 0。",
        "  市：新增 1，更新 0，不变 0",
        "  县（区）：新增 1，更新 0，不变 0",
        "  乡镇（街道）：新增 1，更新 0，不变 0",
        "  村（社区）：新增 2，更新 0，不变 0",
        "  已忽略的列：A列“序号”、F列“身份证号”",
    ]
    assert Unit.objects.count() == 5
    assert Unit.objects.get(name="东村").parent.name == "红旗镇"
    assert Unit.objects.get(name="红旗镇").secretary == "王五"


def test_command_run_twice_reports_everything_unchanged(tmp_path):
    path = write(tmp_path)
    run(path)

    out, _err = run(path)

    assert out.splitlines()[0] == "导入完成：名册.xlsx 工作表 名册，新增 0，更新 0，不变 5。"
    assert Unit.objects.count() == 5


def test_command_reports_updates(tmp_path):
    run(write(tmp_path))
    edited = [list(r) for r in ROWS]
    edited[4][4] = "赵六"

    out, _err = run(write(tmp_path, edited, name="名册2.xlsx"))

    assert out.splitlines()[0] == "导入完成：名册2.xlsx 工作表 名册，新增 0，更新 1，不变 4。"
    assert Unit.objects.get(name="东村").secretary == "赵六"


def test_command_dry_run_writes_nothing(tmp_path):
    out, err = run(write(tmp_path), "--dry-run")

    assert err == ""
    assert out.splitlines()[0] == "试运行（未写入）：名册.xlsx 工作表 名册，新增 5，更新 0，不变 0。"
    assert Unit.objects.count() == 0


def test_command_errors_exit_1_with_every_message_on_stderr(tmp_path):
    rows = [*ROWS, [6, "北村", "村", "不存在乡", "", ""], [7, "南村", "村庄", "红旗镇", "", ""]]

    err = run_failing(write(tmp_path, rows, title_rows=["名册"]))

    assert err.splitlines() == [
        "名册.xlsx：发现 2 个错误，未写入任何数据。",
        "  工作表 名册 第8行 “上级单位”（D列）：找不到“不存在乡”，请检查名称或先添加该单位",
        "  工作表 名册 第9行 “单位类别”（C列）：无法识别“村庄”，可填写：市、县（区）、县直机关单位、县直事业单位、"
        "乡镇（街道）、村（社区）、乡镇机关事业单位、学校、医院、非公企业、社会组织",
    ]
    assert Unit.objects.count() == 0


def test_command_errors_with_dry_run_also_exit_1(tmp_path):
    rows = [*ROWS, [6, "北村", "村", "红山县", "", ""]]

    err = run_failing(write(tmp_path, rows), "--dry-run")

    assert "第7行 “单位类别”（C列）：村（社区）的上级单位应为乡镇（街道），不能是县（区）" in err


def test_command_file_that_is_not_a_workbook_exits_1_with_the_reason(tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_text("单位名称,单位类别,上级单位\n红山市,市,\n", encoding="utf-8")

    err = run_failing(str(path))

    assert err.splitlines() == [
        "名册.xlsx：发现 1 个错误，未写入任何数据。",
        "  文件不是 Excel 工作簿（.xlsx）。请上传用 Excel 或 WPS 保存的 .xlsx 文件。",
    ]


def test_command_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件 .*不存在.xlsx"):
        call_command(
            "import_units", str(tmp_path / "不存在.xlsx"), stdout=io.StringIO(), stderr=io.StringIO()
        )


def test_command_directory_instead_of_a_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_units", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())


def test_command_says_how_org_types_were_read_and_counts_unchecked_rows_once(tmp_path):
    from tests.units.roster_files import HEADER

    good = [HEADER[1:5], ["红山市", "市", "", "市委"], ["红山县", "县", "红山市", "县委"]]
    out, _err = run(write(tmp_path, good))
    assert "  党组织类型按“党委”记录：“县委”1行、“市委”1行" in out.splitlines()

    broken = [
        HEADER[1:5],
        ["绿山县", "县", "不存在市", ""],
        *[[f"{n}镇", "乡镇", "绿山县", ""] for n in range(30)],
    ]
    err = run_failing(write(tmp_path, broken, name="坏.xlsx"))
    assert err.splitlines() == [
        "坏.xlsx：发现 1 个错误，未写入任何数据。",
        "  工作表 名册 第2行 “上级单位”（C列）：找不到“不存在市”，请检查名称或先添加该单位",
        "  另有30行因上级单位第2行有错误未检查",
    ]
