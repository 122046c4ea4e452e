"""An administrator imports a roster in a real browser and finds a village in the tree."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import AdminFactory, city, county
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _roster_file(tmp_path) -> str:
    """A roster as offices send them: a merged title, a 序号 column, an extra column, a
    parent listed after its children, half-width parentheses and kind synonyms."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append(["青山县2022年党组织名册"])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "单位名称", "单位类别", "上级单位", "党组织类型", "书记", "统一社会信用代码"])
    rows = [
        ["石桥村", "村", "河口镇", "党支部", "王五"],
        ["枫树湾村", "村", "河口镇", "党总支", "赵六"],
        ["河口镇农业综合服务中心", "乡镇站所", "河口镇", "党支部", ""],
        ["河口镇", "乡镇(街道)", "青山县", "党委", "钱七"],
        ["青山县交通运输局", "县直机关单位", "青山县", "党组", "孙八"],
    ]
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row, "91360000XXXX"])
    path = tmp_path / "青山县名册.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_admin_uploads_previews_confirms_and_finds_a_village(page, screenshot, tmp_path):
    AdminFactory(username="guanli", name="管理员甲")
    qingshan = county(city("云山市"), "青山县")

    login(page, "guanli", "pass-for-tests-1")
    page.get_by_role("link", name="导入单位名册").first.click()
    page.get_by_label("名册文件（.xlsx）").set_input_files(_roster_file(tmp_path))
    page.get_by_role("button", name="上传并预览").click()

    summary = page.get_by_test_id("import-summary")
    assert "5" in summary.inner_text() and "新增" in summary.inner_text()
    kinds = page.get_by_test_id("import-kinds").inner_text()
    assert "村（社区）" in kinds and "乡镇（街道）" in kinds and "乡镇机关事业单位" in kinds
    assert "已忽略的列：A列“序号”、G列“统一社会信用代码”" in page.content()
    assert Unit.objects.count() == 2  # nothing written before confirming
    screenshot("roster-import-preview")

    page.get_by_test_id("confirm-import").click()
    assert "导入完成：新增 5，更新 0，不变 0。" in page.locator(".alert-success").inner_text()
    assert Unit.objects.get(name="石桥村").parent.name == "河口镇"

    page.get_by_role("link", name="单位名册").first.click()
    page.get_by_role("searchbox").fill("石桥")
    page.get_by_role("button", name="搜索").click()
    assert "云山市 › 青山县 › 河口镇" in page.content()
    page.get_by_role("link", name="石桥村").click()

    village = Unit.objects.get(name="石桥村")
    assert page.url.startswith(f"{page.base_url}/units/{qingshan.pk}/?focus={village.pk}")
    node = page.locator(f"#u-{village.pk}")
    expect(node).to_be_visible()
    expect(node).to_have_class(re.compile(r"\bapp-focused\b"))
    assert "党支部 · 王五" in node.inner_text()
    screenshot("roster-tree-found-village")
    assert not [m for m in page.console_messages if m.startswith("error")], page.console_messages


def test_a_real_shaped_roster_with_a_broken_town_previews_short_and_clear(page, screenshot, tmp_path):
    from tests.factories import township
    from tests.units.roster_files import county_roster, roster_file

    AdminFactory(username="guanli", name="管理员甲")
    yunshan = city("云山市")
    for name in ("青山县", "绿水县"):  # other counties with a 城关镇 of their own
        township(county(yunshan, name), "城关镇")
    rows = county_roster(townships=20, villages=22, broken_town_villages=200, county="青河县")
    path = tmp_path / "青河县名册.xlsx"
    path.write_bytes(roster_file(*rows, title_rows=["青河县党组织名册"]))
    before = Unit.objects.count()

    login(page, "guanli", "pass-for-tests-1")
    page.get_by_role("link", name="导入单位名册").first.click()
    page.get_by_label("名册文件（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").click()

    errors = page.get_by_test_id("import-errors")
    assert "发现 1 个错误，未导入任何数据" in errors.inner_text()
    assert errors.locator("li").count() == 2  # the broken town, and one line for its villages
    assert "另有200行因上级单位第" in page.get_by_test_id("import-unchecked").inner_text()
    org_types = page.get_by_test_id("import-org-types").inner_text()
    assert "市委" in org_types and "县委" in org_types and "联合党支部" in org_types
    assert page.evaluate("document.documentElement.scrollHeight") < 2000
    assert page.get_by_test_id("confirm-import").count() == 0
    assert Unit.objects.count() == before
    screenshot("roster-import-broken-town")
