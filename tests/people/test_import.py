"""Importing a list of people from Excel: upload → preview → confirm → the initial passwords once;
every bad file refused with its row and column, and nothing written."""

import io
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditLog, User
from people.exporting import people_template
from people.importing import people_plan
from people.models import PeopleImport
from tests.factories import UnitFactory, UserFactory, form_token
from tests.xlsx_builder import make_xlsx, read_xlsx
from units.models import Unit

pytestmark = pytest.mark.django_db
HEADER = ["序号", "姓名", "用户名", "所在单位", "职务", "手机"]


def people_file(*rows, header=HEADER, **kwargs) -> bytes:
    return make_xlsx([header, *rows], sheet="人员名单", title_rows=["2022年考核组人员名单"], **kwargs)


def _upload(client, data: bytes, name: str = "人员名单.xlsx"):
    return client.post(
        reverse("people:import"), {"file": SimpleUploadedFile(name, data), "form_token": form_token()}
    )


def _accounts() -> list[tuple]:
    return list(User.objects.order_by("pk").values_list("username", "name", "home_unit_id", "password"))


@pytest.fixture
def admin(login, setup):
    UnitFactory(name="青山县财政局", kind=Unit.Kind.COUNTY_ORGAN, parent=setup["qingshan"])
    return login(setup["admin"])


# --- a good file --------------------------------------------------------------------------------------


def test_upload_preview_confirm_and_the_passwords_once(admin, setup):
    data = people_file(
        [1, "张三", "", "青山县财政局", "办公室主任", "138 0000 0001"],
        [2, "李四", "LiSi2022", "青山县/城关镇", "组织委员", 13800000002],
        [3, "王五", None, None, None, None],
        [],
        [4, "欧阳娜娜", "", "绿水县", "", "+86 13800000004"],
    )
    before = _accounts()
    response = _upload(admin, data)
    record = PeopleImport.objects.get()
    assert response["Location"] == reverse("people:import_preview", args=[record.pk])
    assert _accounts() == before  # the preview writes nothing
    html = admin.get(response["Location"]).content.decode()
    assert "确认导入（新增 4 人）" in html
    people = html.split('data-testid="import-people"')[1]
    assert "<code>zhangsan</code>" in people and "按拼音生成" in people
    assert "<code>lisi2022</code>" in people and "云山市 › 青山县 › 城关镇" in people
    assert "<code>ouyangnana</code>" in people

    response = admin.post(reverse("people:import_confirm", args=[record.pk]))
    assert response["Location"] == reverse("people:import_passwords", args=[record.pk])
    zhang = User.objects.get(username="zhangsan")
    assert (zhang.name, zhang.home_unit.name, zhang.title, zhang.phone) == (
        "张三",
        "青山县财政局",
        "办公室主任",
        "13800000001",
    )
    assert User.objects.get(username="lisi2022").home_unit == Unit.objects.get(
        name="城关镇", parent=setup["qingshan"]
    )
    assert User.objects.get(username="wangwu").home_unit is None
    assert User.objects.get(username="ouyangnana").phone == "13800000004"
    new = User.objects.filter(username__in=["zhangsan", "lisi2022", "wangwu", "ouyangnana"])
    assert all(u.must_change_password and u.is_active and not u.is_staff for u in new)
    assert (
        AuditLog.objects.filter(
            kind=AuditLog.Kind.PASSWORD_RESET, object_id__in=[str(u.pk) for u in new]
        ).count()
        == 4
    )
    record.refresh_from_db()
    assert record.status == "applied" and "password" not in str(record.summary)

    page = admin.get(response["Location"]).content.decode()
    table = page.split('data-testid="import-passwords"')[1]
    zhang_row = table.split("<code>zhangsan</code>")[1]
    password = unescape(zhang_row.split('user-select-all">')[1].split("<")[0])
    assert zhang.check_password(password)

    sheet = admin.post(reverse("people:import_passwords_download", args=[record.pk]))
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "%E5%88%9D%E5%A7%8B%E5%AF%86%E7%A0%81" in sheet["Content-Disposition"]  # 初始密码
    rows = read_xlsx(sheet.content)["初始密码"]
    assert rows[0][0].startswith("初始密码（人员名单.xlsx，") and rows[0][0].endswith("日导入）")
    assert rows[1] == ("序号", "姓名", "用户名", "初始密码", "所在单位", "手机")
    assert rows[2][:3] == ("1", "张三", "zhangsan") and rows[2][3] == password
    assert len(rows) == 6
    # Once: the sheet and the page are gone afterwards.
    again = admin.post(reverse("people:import_passwords_download", args=[record.pk]))
    assert again["Location"] == reverse("people:import_passwords", args=[record.pk])
    assert 'data-testid="passwords-gone"' in admin.get(response["Location"]).content.decode()


def test_clearing_the_passwords_forgets_them(admin, setup):
    _upload(admin, people_file([1, "张三", "", "", "", ""]))
    record = PeopleImport.objects.get()
    admin.post(reverse("people:import_confirm", args=[record.pk]))
    url = reverse("people:import_passwords", args=[record.pk])
    assert 'data-testid="import-passwords"' in admin.get(url).content.decode()
    admin.post(url)
    assert 'data-testid="passwords-gone"' in admin.get(url).content.decode()
    assert admin.post(reverse("people:import_passwords_download", args=[record.pk])).status_code == 302


def test_another_administrator_does_not_see_the_passwords(admin, setup, login):
    _upload(admin, people_file([1, "张三", "", "", "", ""]))
    record = PeopleImport.objects.get()
    admin.post(reverse("people:import_confirm", args=[record.pk]))
    from django.test import Client

    other = Client()
    other.force_login(UserFactory(username="boss2", is_staff=True))
    assert (
        'data-testid="passwords-gone"'
        in other.get(reverse("people:import_passwords", args=[record.pk])).content.decode()
    )


def test_generated_usernames_avoid_existing_ones_and_each_other(admin, setup):
    UserFactory(username="zhangsan", name="张三丰")
    plan = people_plan(
        data=people_file(
            [1, "张三", "", "", "", ""],
            [2, "张三", "", "青山县财政局", "", ""],
            [3, "张三", "zhangsan3", "", "", ""],
        ),
        file_name="x.xlsx",
    )
    assert plan.ok, plan.error_messages()
    assert [r.username for r in plan.rows] == ["zhangsan2", "zhangsan4", "zhangsan3"]


def test_a_list_with_only_a_name_column_and_other_headers(admin, setup):
    data = make_xlsx([["姓名", "性别", "单位"], ["张三", "男", "青山县财政局"]], sheet="Sheet1")
    plan = people_plan(data=data, file_name="x.xlsx")
    assert plan.ok and plan.rows[0].unit.name == "青山县财政局"
    assert plan.summary()["ignored_columns"] == ["B列“性别”"]


# --- bad files: every one refused, nothing written ----------------------------------------------------


BAD_FILES = {
    "not a workbook": (b"PK\x03\x04 not really", "文件已损坏"),
    "an old .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel 文件（.xls）"),
    "header only": (people_file(), "工作表 人员名单 第2行的表头下面没有数据行：文件中没有人员。"),
    "no name column": (
        make_xlsx([["序号", "用户名", "手机"], [1, "zhangsan", "13800000000"]]),
        "都找不到人员名单的表头。表头应包含“姓名”等列",
    ),
    "a username twice": (
        people_file([1, "张三", "zhangsan", "", "", ""], [2, "张山", "ZhangSan", "", "", ""]),
        "第4行 “用户名”（C列）：用户名“zhangsan”与第3行重复（用户名不区分大小写）",
    ),
    "a username taken": (
        people_file([1, "钱立新", "Leader", "", "", ""]),
        "第3行 “用户名”（C列）：用户名“leader”已被系统中的钱组长使用",
    ),
    "a bad username": (
        people_file([1, "张三", "张三", "", "", ""]),
        "第3行 “用户名”（C列）：用户名“张三”不符合要求",
    ),
    "a bad mobile number": (
        people_file([1, "张三", "", "", "", "0791-86000000"]),
        "第3行 “手机”（F列）：“0791-86000000”不是有效的手机号码：应为 11 位数字，以 13 至 19 开头",
    ),
    "a formula": (
        people_file([1, '=CONCATENATE("张","三")', "", "", "", ""]),
        '第3行 “姓名”（B列）：单元格是公式（=CONCATENATE("张","三")），文件中没有保存公式的计算结果',
    ),
    "a date for a name": (
        people_file([1, __import__("datetime").date(2022, 1, 15), "", "", "", ""]),
        "第3行 “姓名”（B列）：单元格是日期或时间（2022-01-15），不是文字",
    ),
    "no name": (people_file([1, "", "zhangsan", "青山县财政局", "", ""]), "第3行 “姓名”（B列）：姓名为空"),
    "an unknown unit": (
        people_file([1, "张三", "", "不存在局", "", ""]),
        "第3行 “所在单位”（D列）：单位名册中找不到“不存在局”",
    ),
    "an ambiguous unit": (
        people_file([1, "张三", "", "城关镇", "", ""]),
        "第3行 “所在单位”（D列）：“城关镇”对应多个单位：青山县/城关镇、绿水县/城关镇。请写出上级路径",
    ),
    "the same person twice": (
        people_file([1, "张三", "", "青山县财政局", "", ""], [2, "张三", "", "青山县财政局", "", ""]),
        "第4行 “姓名”（B列）：与第3行的姓名、所在单位相同：如为同一人，请删除其中一行；如确为两人，请分别填写用户名",
    ),
    "someone already there": (
        people_file([1, "钱组长", "", "", "", ""]),
        "第3行 “姓名”（B列）：系统中已有钱组长（用户名 leader）：如为同一人，请删除此行；如确为另一人，请填写用户名以示区分",
    ),
    "a name without pinyin": (
        people_file([1, "𠮷田", "", "", "", ""]),
        "第3行 “用户名”（C列）：用户名为空，姓名中的“𠮷”不在常用汉字表中，无法自动生成用户名，请填写用户名",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_with_the_place_and_nothing_is_written(admin, setup, case):
    data, message = BAD_FILES[case]
    before = _accounts()
    response = _upload(admin, data)
    record = PeopleImport.objects.get()
    assert record.status == "failed" and not record.file
    html = admin.get(response["Location"]).content.decode()
    errors = unescape(html.split('data-testid="import-errors"')[1])
    assert message in errors
    assert 'data-testid="confirm-import"' not in html
    assert admin.post(reverse("people:import_confirm", args=[record.pk]))["Location"] == response["Location"]
    assert _accounts() == before


def test_every_error_of_a_file_is_listed_at_once(admin, setup):
    data = people_file(
        [1, "张三", "", "", "", "123"], [2, "李四", "", "不存在局", "", ""], [3, "", "x y", "", "", ""]
    )
    plan = people_plan(data=data, file_name="x.xlsx")
    assert len(plan.error_messages()) == 4


def test_a_rows_other_cells_are_checked_beside_a_cell_in_error(admin, setup):
    data = people_file(
        [1, "李四", "leader", "城关镇", "", "0791-86000000"], [2, "=A1", "", "不存在局", "", ""]
    )
    messages = people_plan(data=data, file_name="x.xlsx").error_messages()
    assert [m.split("：", 1)[0] for m in messages] == [
        "工作表 人员名单 第3行 “用户名”（C列）",
        "工作表 人员名单 第3行 “所在单位”（D列）",
        "工作表 人员名单 第3行 “手机”（F列）",
        "工作表 人员名单 第4行 “姓名”（B列）",
        "工作表 人员名单 第4行 “所在单位”（D列）",
    ]


def test_a_change_after_the_preview_is_caught_at_confirm(admin, setup):
    _upload(admin, people_file([1, "张三", "zhangsan", "", "", ""], [2, "李四", "", "", "", ""]))
    record = PeopleImport.objects.get()
    UserFactory(username="ZHANGSAN")  # created meanwhile
    before = _accounts()
    response = admin.post(reverse("people:import_confirm", args=[record.pk]))
    assert response["Location"] == reverse("people:import_preview", args=[record.pk])
    record.refresh_from_db()
    assert record.status == "failed" and _accounts() == before
    assert "已被系统中的" in unescape(admin.get(response["Location"]).content.decode())


def test_an_upload_is_imported_once(admin, setup):
    _upload(admin, people_file([1, "张三", "", "", "", ""]))
    record = PeopleImport.objects.get()
    admin.post(reverse("people:import_confirm", args=[record.pk]))
    admin.post(reverse("people:import_confirm", args=[record.pk]))
    assert User.objects.filter(name="张三").count() == 1


# --- the template and the export ----------------------------------------------------------------------


def test_the_template_has_the_columns_an_example_and_instructions(admin):
    response = admin.get(reverse("people:template"))
    sheets = read_xlsx(response.content)
    assert list(sheets) == ["人员名单", "填写说明"]
    assert sheets["人员名单"][1] == tuple(HEADER)
    assert any("按姓名的拼音自动生成" in (row[1] or "") for row in sheets["填写说明"])
    workbook = load_workbook(io.BytesIO(people_template()))
    assert workbook["人员名单"]["F3"].number_format == "@"  # 手机 as text


def test_the_export_writes_units_so_an_import_finds_them(admin, setup):
    finance = Unit.objects.get(name="青山县财政局")
    town = Unit.objects.get(name="城关镇", parent=setup["qingshan"])
    User.objects.filter(username="member").update(home_unit=finance, phone="13800000009", title="科员")
    User.objects.filter(username="other").update(home_unit=town, is_active=False)
    response = admin.get(reverse("people:export"), {"status": "all"})
    rows = read_xlsx(response.content)["人员名单"]
    assert rows[1] == (*HEADER, "状态", "系统管理员", "最近登录")
    by_username = {row[2]: row for row in rows[2:]}
    assert by_username["member"][1:7] == ("李组员", "member", "青山县财政局", "科员", "13800000009", "在用")
    assert by_username["other"][3] == "青山县/城关镇" and by_username["other"][6] == "已停用"
    assert by_username["boss"][7] == "是"
    only_active = read_xlsx(admin.get(reverse("people:export")).content)["人员名单"]
    assert "other" not in {row[2] for row in only_active[2:]}
