"""安全审计: the administrators' page of the security audit trail and its Excel export."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.audit import record
from accounts.models import AuditLog
from units.services import unit_update

Kind, Result = AuditLog.Kind, AuditLog.Result
URLS = ("accounts:audit_log", "accounts:audit_log_export")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def backdate(entry: AuditLog, days: int) -> None:
    """Move an entry into the past, as only a test may (the log is append-only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks, or ALTER TABLE refuses
            cursor.execute("ALTER TABLE accounts_auditlog DISABLE TRIGGER accounts_auditlog_append_only")
        cursor.execute(
            "UPDATE accounts_auditlog SET at = %s WHERE id = %s",
            [timezone.now() - dt.timedelta(days=days), entry.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE accounts_auditlog ENABLE TRIGGER accounts_auditlog_append_only")


def shown(html: str) -> list[str]:
    """The entries' rows on the page, as their text without tags."""
    rows = re.findall(
        r'<tr data-testid="audit-entry".*?</tr>\s*(?=<tr data-testid|</tbody>\s*</table>\s*</div>)',
        html,
        re.S,
    )
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


@pytest.mark.parametrize("role", ["reviewer", "leader", "member", "other", "outsider"])
@pytest.mark.parametrize("url", URLS)
def test_only_administrators_open_the_page_and_its_export(setup, role, url):
    assert client_for(setup[role]).get(reverse(url)).status_code == 403
    assert not AuditLog.objects.filter(kind=Kind.EXPORT).exists()


def test_the_administrators_menu_links_the_page(setup):
    html = client_for(setup["admin"]).get(reverse("home")).content.decode()
    assert f'href="{reverse("accounts:audit_log")}"' in html and "安全审计" in html
    assert (
        reverse("accounts:audit_log") not in client_for(setup["member"]).get(reverse("home")).content.decode()
    )


@pytest.fixture
def trail(setup):
    """A few entries of several kinds, people, results and days."""
    admin, member = setup["admin"], setup["member"]
    old_failure = record(Kind.LOGIN_FAILED, username="member", result=Result.FAILURE, detail="密码错误。")
    backdate(old_failure, 10)
    record(Kind.LOGIN, actor=member)
    record(Kind.LOGIN_FAILED, username="nobody", result=Result.FAILURE, detail="用户名不存在。")
    record(Kind.DOWNLOAD, actor=member, label="现场照片.png")
    town = setup["qingshan"].children.get(name="城关镇")
    from accounts.acting import acting

    with acting(admin):
        unit_update(unit=town, name="城关街道", note="撤镇设街道")
    return {**setup, "old_failure": old_failure, "town": town}


def test_newest_first_with_the_changes_in_chinese(trail):
    html = client_for(trail["admin"]).get(reverse("accounts:audit_log")).content.decode()
    rows = shown(html)
    assert rows[0].startswith(timezone.localtime().strftime("%Y-%m-%d"))
    update = next(r for r in rows if "修改" in r and "城关街道" in r)
    assert "管理员" in update and "单位 #" in update
    assert "单位名称 城关镇 城关街道" in update and "备注 （空） 撤镇设街道" in update
    assert rows[-1].count("密码错误") == 1  # the oldest last


def test_a_creation_shows_its_values_readably(setup):
    from accounts.acting import acting
    from units.services import unit_create

    with acting(setup["admin"]):
        unit_create(
            name="石桥村",
            kind="village",
            parent=setup["qingshan"].children.get(name="城关镇"),
            org_type="branch",
        )
    html = (
        client_for(setup["admin"])
        .get(reverse("accounts:audit_log"), {"kind": "create", "q": "石桥村"})
        .content.decode()
    )
    (row,) = shown(html)
    assert "新增" in row and "单位类别 村（社区）" in row and "党组织类型 党支部" in row
    assert "上级单位 城关镇" in row and "在用 是" in row


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "login_failed"}, 2),
        ({"result": "failure"}, 2),
        ({"kind": "login_failed", "start": "{today}"}, 1),
        ({"end": "{ten_days_ago}"}, 1),
        ({"q": "现场照片"}, 1),
        ({"q": "nobody"}, 1),
    ],
)
def test_filters(trail, params, expected):
    today = timezone.localdate()
    values = {
        k: v.format(today=today.isoformat(), ten_days_ago=(today - dt.timedelta(days=10)).isoformat())
        for k, v in params.items()
    }
    html = client_for(trail["admin"]).get(reverse("accounts:audit_log"), values).content.decode()
    assert len(shown(html)) == expected, shown(html)
    assert f"共 {expected} 条记录" in html


def test_filtering_by_person_finds_what_they_did_and_sign_ins_tried_with_their_name(trail):
    member = trail["member"]
    html = (
        client_for(trail["admin"]).get(reverse("accounts:audit_log"), {"person": member.pk}).content.decode()
    )
    rows = shown(html)
    assert len(rows) == 3 and all("李组员" in r or "member" in r for r in rows)
    assert any("密码错误" in r for r in rows) and any("现场照片" in r for r in rows)
    assert not any("城关街道" in r for r in rows)


def test_an_end_before_the_start_is_refused_with_a_message(trail):
    html = (
        client_for(trail["admin"])
        .get(reverse("accounts:audit_log"), {"start": "2025-03-02", "end": "2025-03-01"})
        .content.decode()
    )
    assert "截止日期不能早于起始日期。" in html


def test_pages_of_fifty_keep_the_filters(setup):
    for n in range(55):
        record(Kind.LOGIN_FAILED, username=f"guess{n}", result=Result.FAILURE)
    client = client_for(setup["admin"])
    first = client.get(reverse("accounts:audit_log"), {"kind": "login_failed"}).content.decode()
    assert len(shown(first)) == 50 and "1 / 2" in first and "kind=login_failed&amp;page=2" in first
    second = client.get(reverse("accounts:audit_log"), {"kind": "login_failed", "page": 2}).content.decode()
    assert len(shown(second)) == 5 and "guess0" in second and "guess54" not in second


# --- the export ------------------------------------------------------------------------------------------------


def test_the_export_holds_the_filtered_entries_and_is_itself_recorded(trail):
    evil = record(Kind.DOWNLOAD, actor=trail["member"], label='=HYPERLINK("http://x","点我")')
    response = client_for(trail["admin"]).get(reverse("accounts:audit_log_export"), {"result": "failure"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("安全审计日志（") and "结果：失败" in rows[0][0] and "共 2 条" in rows[0][0]
    assert list(rows[1]) == ["时间", "人员", "地址", "类型", "结果", "对象", "修改内容", "说明", "请求地址"]
    assert [(r[1], r[3], r[4], r[7]) for r in rows[2:]] == [
        ("nobody", "登录失败", "失败", "用户名不存在。"),
        ("member", "登录失败", "失败", "密码错误。"),
    ]
    assert rows[2][0].startswith(timezone.localdate().isoformat() + "\n")
    assert sheet.row_dimensions[3].height and sheet.freeze_panes == "A3"
    exported = AuditLog.objects.filter(kind=Kind.EXPORT).get()
    assert exported.actor == trail["admin"] and exported.label.startswith("安全审计日志_")
    assert exported.detail == "筛选条件：结果：失败；导出 2 条（共 2 条）。"
    assert evil.pk  # not in this export (a success); the next one shows it as text
    response = client_for(trail["admin"]).get(reverse("accounts:audit_log_export"), {"kind": "download"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = next(c for row in sheet.iter_rows(min_row=3) for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix


def test_the_export_writes_each_change_on_a_line(trail):
    response = client_for(trail["admin"]).get(
        reverse("accounts:audit_log_export"), {"kind": "update", "q": "城关街道"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    (row,) = [r for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert row[1] == "管理员\nboss" and row[3] == "修改" and row[5] == f"单位 #{trail['town'].pk}\n城关街道"
    assert row[6] == "单位名称：城关镇 → 城关街道\n备注：（空） → 撤镇设街道"


def test_a_long_list_shows_its_first_items_on_the_page_and_all_in_the_export(setup):
    units = [f"云山市/青山县/第{n}村" for n in range(40)]
    record(Kind.CREATE, model="units.unit", label="名册导入：新增 40 个单位", after={"新增单位": units})
    client = client_for(setup["admin"])
    html = client.get(reverse("accounts:audit_log"), {"q": "名册导入"}).content.decode()
    assert "第19村" in html and "第20村" not in html and "……等 40 项" in html
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("accounts:audit_log_export"), {"q": "名册导入"}).content)
    ).active
    (row,) = list(sheet.iter_rows(min_row=3, values_only=True))
    assert row[6] == "新增单位：" + "、".join(units)
