import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import form_token
from units.models import RosterImport, Unit


def _xlsx(rows: list[list], title: str = "单位名册") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append([title])
    sheet.append(["序号", "单位名称", "单位类别", "上级单位", "党组织类型", "党组织书记"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("名册.xlsx", buffer.getvalue())


# --- reading the roster ---------------------------------------------------------


def test_index_lists_counties_with_counts(user_client, roster):
    html = user_client.get(reverse("units:index")).content.decode()
    assert "云山市" in html and "青山县" in html and "绿水县" in html
    assert "村（社区）</span> 1" in html


def test_index_hides_admin_actions_from_ordinary_users(user_client, roster):
    html = user_client.get(reverse("units:index")).content.decode()
    assert reverse("units:import") not in html


def test_search_links_each_hit_to_its_county_tree(user_client, roster):
    html = user_client.get(reverse("units:index"), {"q": "新村"}).content.decode()
    assert "找到 2 个名称包含“新村”的单位" in html
    village = roster["qs_village"]
    assert (
        f"{reverse('units:detail', args=[roster['qingshan'].pk])}?focus={village.pk}#u-{village.pk}" in html
    )
    assert "云山市 › 青山县 › 城关镇" in html


def test_search_with_no_hit_says_so(user_client, roster):
    assert "没有找到匹配的单位" in user_client.get(reverse("units:index"), {"q": "火星"}).content.decode()


def test_tree_page_shows_units_and_counts(user_client, roster):
    response = user_client.get(reverse("units:detail", args=[roster["qingshan"].pk]))
    html = response.content.decode()
    assert "城关镇" in html and "新村" in html and "下属单位 2 个" in html
    assert reverse("units:edit", args=[roster["qs_town"].pk]) not in html  # no edit links for a reader


def test_tree_page_offers_admins_their_actions(admin_client, roster):
    html = admin_client.get(reverse("units:detail", args=[roster["qingshan"].pk])).content.decode()
    assert reverse("units:edit", args=[roster["qs_town"].pk]) in html
    assert reverse("units:deactivate", args=[roster["qs_town"].pk]) in html


def test_tree_page_of_a_missing_unit_is_404(user_client, db):
    assert user_client.get(reverse("units:detail", args=[99999])).status_code == 404


# --- writing the roster -----------------------------------------------------------


def test_admin_adds_a_village(admin_client, roster):
    town = roster["qs_town"]
    response = admin_client.post(
        reverse("units:create"),
        {
            "form_token": form_token(),
            "parent": town.pk,
            "name": "石桥村",
            "kind": "village",
            "org_type": "branch",
            "secretary": "王五",
        },
    )
    unit = Unit.objects.get(name="石桥村")
    assert unit.parent == town and unit.secretary == "王五"
    assert response.status_code == 302 and f"focus={unit.pk}" in response["Location"]


def test_create_form_offers_only_kinds_allowed_under_the_parent(admin_client, roster):
    html = admin_client.get(
        reverse("units:create"), {"form_token": form_token(), "parent": roster["qs_town"].pk}
    ).content.decode()
    assert 'value="village"' in html and 'value="county"' not in html


def test_adding_a_duplicate_name_shows_the_reason_and_writes_nothing(admin_client, roster):
    response = admin_client.post(
        reverse("units:create"),
        {"form_token": form_token(), "parent": roster["qs_town"].pk, "name": "新村", "kind": "village"},
    )
    assert response.status_code == 200
    assert "“城关镇”下已有名为“新村”的单位" in response.content.decode()
    assert Unit.objects.filter(name="新村").count() == 2


def test_ordinary_user_cannot_add_a_unit(user_client, roster):
    response = user_client.post(
        reverse("units:create"),
        {"form_token": form_token(), "parent": roster["qs_town"].pk, "name": "石桥村", "kind": "village"},
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(name="石桥村").exists()


def test_admin_edits_and_moves_a_village(admin_client, roster):
    village = roster["qs_village"]
    response = admin_client.post(
        reverse("units:edit", args=[village.pk]),
        {"name": "新村社区", "kind": "village", "parent": roster["qs_town"].pk, "contact": "13800000001"},
    )
    assert response.status_code == 302
    village.refresh_from_db()
    assert village.name == "新村社区" and village.contact == "13800000001"


def test_edit_offers_parents_from_the_same_county_only(admin_client, roster):
    html = admin_client.get(reverse("units:edit", args=[roster["qs_village"].pk])).content.decode()
    assert f'value="{roster["qs_town"].pk}"' in html
    assert f'value="{roster["lv_town"].pk}"' not in html


def test_ordinary_user_cannot_edit(user_client, roster):
    response = user_client.post(
        reverse("units:edit", args=[roster["qs_village"].pk]), {"name": "改名村", "kind": "village"}
    )
    assert response.status_code == 403
    assert Unit.objects.get(pk=roster["qs_village"].pk).name == "新村"


def test_deactivate_asks_first_then_deactivates_the_subtree(admin_client, roster):
    town = roster["qs_town"]
    html = admin_client.get(reverse("units:deactivate", args=[town.pk])).content.decode()
    assert "它的 1 个下属单位也将一并停用" in html
    assert Unit.objects.get(pk=town.pk).is_active
    response = admin_client.post(reverse("units:deactivate", args=[town.pk]))
    assert response.status_code == 302
    assert not Unit.objects.filter(pk__in=[town.pk, roster["qs_village"].pk], is_active=True).exists()


def test_ordinary_user_cannot_deactivate(user_client, roster):
    assert user_client.post(reverse("units:deactivate", args=[roster["qs_town"].pk])).status_code == 403
    assert Unit.objects.get(pk=roster["qs_town"].pk).is_active


def test_admin_reactivates_a_unit(admin_client, roster):
    Unit.objects.filter(pk=roster["qs_town"].pk).update(is_active=False)
    admin_client.post(reverse("units:reactivate", args=[roster["qs_town"].pk]))
    assert Unit.objects.get(pk=roster["qs_town"].pk).is_active


def test_ordinary_user_cannot_reactivate(user_client, roster):
    Unit.objects.filter(pk=roster["qs_town"].pk).update(is_active=False)
    assert user_client.post(reverse("units:reactivate", args=[roster["qs_town"].pk])).status_code == 403
    assert not Unit.objects.get(pk=roster["qs_town"].pk).is_active


# --- importing ---------------------------------------------------------------------


def test_upload_previews_without_writing_then_confirm_imports(admin_client, roster):
    before = Unit.objects.count()
    upload = _xlsx(
        [[1, "石桥村", "村", "青山县/城关镇", "党支部", "王五"], [2, "河口镇", "乡镇", "青山县", "党委", ""]]
    )
    response = admin_client.post(reverse("units:import"), {"form_token": form_token(), "file": upload})
    record = RosterImport.objects.get()
    assert response["Location"] == reverse("units:import_preview", args=[record.pk])
    assert record.status == RosterImport.Status.PREVIEWED and Unit.objects.count() == before

    html = admin_client.get(response["Location"]).content.decode()
    assert "确认导入（新增 2，更新 0）" in html
    assert "已忽略的列：A列“序号”" in html

    admin_client.post(reverse("units:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == RosterImport.Status.APPLIED and record.applied_at
    assert Unit.objects.count() == before + 2
    assert Unit.objects.get(name="石桥村").parent == roster["qs_town"]


def test_confirming_twice_imports_once(admin_client, roster):
    admin_client.post(
        reverse("units:import"),
        {"form_token": form_token(), "file": _xlsx([[1, "石桥村", "村", "青山县/城关镇"]])},
    )
    record = RosterImport.objects.get()
    admin_client.post(reverse("units:import_confirm", args=[record.pk]))
    response = admin_client.post(reverse("units:import_confirm", args=[record.pk]), follow=True)
    assert "该文件已经导入过" in response.content.decode()
    assert Unit.objects.filter(name="石桥村").count() == 1


def test_upload_with_errors_lists_them_and_offers_no_confirm(admin_client, roster):
    before = Unit.objects.count()
    upload = _xlsx([[1, "石桥村", "村", "不存在乡"], [2, "", "村", "青山县/城关镇", "", "张三"]])
    response = admin_client.post(
        reverse("units:import"), {"form_token": form_token(), "file": upload}, follow=True
    )
    html = response.content.decode()
    assert "发现 2 个错误，未导入任何数据" in html
    assert "工作表 名册 第3行 “上级单位”（D列）：找不到“不存在乡”" in html
    assert "第4行 “单位名称”（B列）" in html
    assert 'data-testid="confirm-import"' not in html
    assert RosterImport.objects.get().status == RosterImport.Status.FAILED
    assert Unit.objects.count() == before


def test_confirming_a_failed_upload_writes_nothing(admin_client, roster):
    admin_client.post(
        reverse("units:import"),
        {"form_token": form_token(), "file": _xlsx([[1, "石桥村", "村", "不存在乡"]])},
    )
    record = RosterImport.objects.get()
    before = Unit.objects.count()
    admin_client.post(reverse("units:import_confirm", args=[record.pk]))
    assert Unit.objects.count() == before


def test_upload_of_something_that_is_not_excel_is_explained(admin_client, db):
    upload = SimpleUploadedFile("名册.xlsx", "这不是表格".encode())
    html = admin_client.post(
        reverse("units:import"), {"form_token": form_token(), "file": upload}, follow=True
    ).content.decode()
    assert "文件不是 Excel 工作簿（.xlsx）" in html


def test_ordinary_user_cannot_upload(user_client, roster):
    response = user_client.post(
        reverse("units:import"),
        {"form_token": form_token(), "file": _xlsx([[1, "石桥村", "村", "青山县/城关镇"]])},
    )
    assert response.status_code == 403
    assert not RosterImport.objects.exists()


def test_ordinary_user_cannot_confirm_an_admins_upload(admin_client, user_client, roster):
    admin_client.post(
        reverse("units:import"),
        {"form_token": form_token(), "file": _xlsx([[1, "石桥村", "村", "青山县/城关镇"]])},
    )
    record = RosterImport.objects.get()
    assert user_client.post(reverse("units:import_confirm", args=[record.pk])).status_code == 403
    assert not Unit.objects.filter(name="石桥村").exists()


def test_template_and_export_download_as_named_xlsx(admin_client, roster):
    template = admin_client.get(reverse("units:template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''%E5%8D%95%E4%BD%8D" in template["Content-Disposition"]  # 单位…
    export = admin_client.get(reverse("units:export"))
    workbook = openpyxl.load_workbook(io.BytesIO(export.content))
    names = [row[1] for row in workbook["名册"].iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == sorted(Unit.objects.values_list("name", flat=True))


def test_ordinary_user_cannot_export(user_client, roster):
    assert user_client.get(reverse("units:export")).status_code == 403
    assert user_client.get(reverse("units:template")).status_code == 403


def _upload(admin_client, data: bytes) -> str:
    upload = SimpleUploadedFile("名册.xlsx", data)
    return admin_client.post(
        reverse("units:import"), {"form_token": form_token(), "file": upload}, follow=True
    ).content.decode()


def test_preview_of_a_broken_town_with_200_villages_is_one_error_and_one_line(admin_client, db):
    from tests.units.roster_files import county_roster, roster_file

    rows = county_roster(broken_town_villages=200)
    town_row = next(n for n, r in enumerate(rows, start=2) if r[1] == "城关镇")

    html = _upload(admin_client, roster_file(*rows))

    assert "发现 1 个错误，未导入任何数据" in html
    assert html.count('<li class="list-group-item">') == 1
    assert f"另有200行因上级单位第{town_row}行有错误未检查" in html
    assert "所在的" not in html
    assert 'data-testid="confirm-import"' not in html
    assert Unit.objects.count() == 0


def test_preview_of_a_county_roster_shows_its_org_type_spellings_canonically(admin_client, db):
    from tests.units.roster_files import county_roster, roster_file

    html = _upload(admin_client, roster_file(*county_roster()))

    assert 'data-testid="confirm-import"' in html
    assert "党组织类型按规范名称记录" in html
    org_types = html.split('data-testid="import-org-types"')[1].split("</table>")[0]
    assert "市委" in org_types and "县委" in org_types and "街道党工委" in org_types
    assert '<td class="text-nowrap fw-semibold">党委</td>' in org_types


def test_header_only_roster_says_there_are_no_rows_and_offers_no_confirm(admin_client, db):
    html = _upload(admin_client, _xlsx([]).read())

    assert "工作表 名册 第2行的表头下面没有数据行：文件中没有单位。请填写后再上传。" in html
    assert 'data-testid="confirm-import"' not in html
    assert RosterImport.objects.get().status == RosterImport.Status.FAILED


def test_formula_cells_are_named_as_formulas_on_the_preview(admin_client, roster):
    before = Unit.objects.count()

    html = _upload(admin_client, _xlsx([[1, "=B4", "村", "青山县/城关镇"]]).read())

    assert "第3行 “单位名称”（B列）：单元格是公式（=B4），文件中没有保存公式的计算结果" in html
    assert "单位名称为空" not in html
    assert Unit.objects.count() == before


def test_a_file_with_an_error_in_every_row_lists_the_first_thousand_and_counts_the_rest(admin_client, roster):
    before = Unit.objects.count()
    rows = [[n, f"第{n}村", "村", "不存在乡"] for n in range(1, 1_251)]

    html = _upload(admin_client, _xlsx(rows).read())

    assert "发现 1,250 个错误，未导入任何数据" in html
    assert html.count('<li class="list-group-item">') == 1_000
    assert "另有 250 个错误未列出（只列出前 1,000 个）" in html
    assert 'data-testid="confirm-import"' not in html
    assert Unit.objects.count() == before
    summary = RosterImport.objects.get().summary
    assert (len(summary["errors"]), summary["error_count"]) == (1_000, 1_250)
