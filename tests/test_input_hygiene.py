"""Input hygiene at the boundary: what enters is clean, what leaves is safe, what is typed is bounded."""

import importlib
import inspect
import io
import pkgutil

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from assessment.exporting import checklist_export
from assessment.models import Problem, Target
from assessment.services import findings
from core import limits
from core.officialdoc import render_docx
from core.text import strip_invisible
from reports.context import build_report
from reports.xlsx import score_workbook
from tests.factories import CampaignFactory, ChecklistItemFactory, CriterionFactory, city, county, form_token
from units.exporting import roster_export
from units.models import Unit

HTMX = {"HTTP_HX_REQUEST": "true"}
DIRTY = "青山\x07县\u202e交通\u200b局\x1b"


def test_strip_invisible_keeps_text_tabs_and_line_breaks():
    assert strip_invisible(DIRTY) == "青山县交通局"
    assert strip_invisible("第一段\r\n第二段\t（续）") == "第一段\r\n第二段\t（续）"
    assert strip_invisible("\u2066evil\u2069\u200e\u200f\ufeff\x85") == "evil"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_typed_control_and_bidi_characters_are_removed_before_saving(setup):
    target, item = setup["qs_target"], setup["item"]
    response = _client(setup["member"]).post(
        reverse("campaigns:problem_create", args=[target.pk, item.pk]),
        {
            "form_token": form_token(),
            "text": "会议\u202e记录\x00缺失\x1b",
            "category": "台\u200b账",
            "rectification": "open",
        },
        **HTMX,
    )
    assert response.status_code == 200
    problem = Problem.objects.get()
    assert (problem.text, problem.category) == ("会议记录缺失", "台账")


def test_passwords_pass_verbatim_through_the_boundary(rf):
    from core.middleware import CleanInputMiddleware

    seen = {}
    request = rf.post("/x/", {"old_password": "a\u200bb", "text": "a\u200bb"})
    CleanInputMiddleware(lambda r: seen.update(r.POST.dict()))(request)
    assert seen == {"old_password": "a\u200bb", "text": "ab"}


def test_a_paragraph_over_its_limit_is_refused_with_the_numbers(setup):
    target, item = setup["qs_target"], setup["item"]
    long_text = "问" * (limits.PARAGRAPH + 1)
    response = _client(setup["member"]).post(
        reverse("campaigns:problem_create", args=[target.pk, item.pk]),
        {"form_token": form_token(), "text": long_text, "rectification": "open"},
        **HTMX,
    )
    assert response.status_code == 422
    assert "5000" in response.content.decode().replace(",", "")
    assert not Problem.objects.exists()
    with pytest.raises(findings.ValidationError, match="最多5,000字，现有5,001字"):
        findings.problem_create(target=target, item=item, text=long_text, user=setup["leader"])


def test_a_browsers_line_breaks_count_once_against_the_limit(setup):
    # A textarea's value on the page has one character per line break (what the counter shows);
    # the browser sends CRLF. Text exactly at the limit is accepted and stored with LF.
    target, item = setup["qs_target"], setup["item"]
    lines = "问" * 99 + "\r\n"
    text = (lines * (limits.PARAGRAPH // 100))[:-2]  # 5,000 characters on the page
    assert len(text.replace("\r\n", "\n")) == limits.PARAGRAPH - 1
    response = _client(setup["member"]).post(
        reverse("campaigns:problem_create", args=[target.pk, item.pk]),
        {"form_token": form_token(), "text": text + "问", "rectification": "open"},
        **HTMX,
    )
    assert response.status_code == 200
    stored = Problem.objects.get().text
    assert "\r" not in stored and len(stored) == limits.PARAGRAPH


def test_a_narrative_over_its_limit_is_refused_and_a_four_megabyte_one_gets_a_chinese_page(setup):
    target = setup["qs_target"]
    client = _client(setup["leader"])
    url = reverse("campaigns:narrative", args=[target.pk])
    response = client.post(url, {"narrative": "述" * (limits.NARRATIVE + 1), "version": "1"}, **HTMX)
    assert response.status_code in (422, 428)
    assert "20000" in response.content.decode().replace(",", "")
    response = client.post(url, {"narrative": "述" * (4 * 1024 * 1024), "version": "1"}, **HTMX)
    assert response.status_code == 400 and "请求有误" in response.content.decode()
    assert Target.objects.get(pk=target.pk).narrative == ""


def test_rendered_text_boxes_carry_their_limit(setup):
    target, item = setup["qs_target"], setup["item"]
    url = reverse("campaigns:problem_create", args=[target.pk, item.pk])
    html = _client(setup["member"]).get(url, **HTMX).content
    assert f'maxlength="{limits.PARAGRAPH}"'.encode() in html


def _forms():
    for app in ("core", "accounts", "units", "assessment", "reports"):
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_text_field_of_every_form_has_a_length_limit():
    unbounded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _forms()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField)
        and not field.max_length
        and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
    ]
    assert unbounded == []


@pytest.fixture
def dirty_world(db):
    """Data stored before the boundary cleaned it: control and bidi characters, formula-like titles."""
    c = city("云山市\x07")
    county(c, '=HYPERLINK("http://evil.example","点我")')
    county(c, "青山\x1b县\u202e")
    campaign = CampaignFactory(title='=HYPERLINK("http://evil.example","2021")')
    item = ChecklistItemFactory(
        campaign=campaign, order=1, title="+老干部\x07工作", lead_department="@组织部"
    )
    CriterionFactory(item=item, text="-扣分\x1b细则")
    return campaign


def _cells(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_exports_of_dirty_stored_data_are_clean_and_formula_safe(dirty_world):
    for data in (roster_export()[0], checklist_export(dirty_world), score_workbook(dirty_world)):
        cells = [c for c in _cells(data) if isinstance(c.value, str)]
        assert cells
        assert not any(c.data_type == "f" for c in cells)
        for cell in cells:
            assert strip_invisible(cell.value) == cell.value
            if cell.value.startswith(("=", "+", "-", "@")):
                assert cell.data_type == "s" and cell.quotePrefix, cell.value
    titles = [c.value for c in _cells(checklist_export(dirty_world)) if c.row == 1 and c.column == 1]
    assert titles[0].startswith('=HYPERLINK("http://evil.example","2021")')


def test_no_bidi_override_reaches_the_word_report(setup):
    target = setup["qs_target"]
    Target.objects.filter(pk=target.pk).update(narrative="青山县\u202e始终坚持\x1b党建引领。")
    data = render_docx(build_report(Target.objects.get(pk=target.pk)))
    with __import__("zipfile").ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "青山县始终坚持党建引领" in xml and "\u202e" not in xml


def test_units_named_with_control_characters_export(dirty_world):
    assert Unit.objects.filter(name__contains="\x1b").exists()
    data, count = roster_export()
    assert count >= 3 and data
