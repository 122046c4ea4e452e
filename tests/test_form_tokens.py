"""One record per submitted form (core.formtokens): every form that creates something, taken from
its rendered page as a user's browser has it, submitted twice, creates one record; the second
submission is answered as the first was. Concurrent submissions: tests/test_concurrency.py."""

import io
import re
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from assessment.exporting import checklist_template
from assessment.models import (
    AssessmentGroup,
    Campaign,
    ChecklistImport,
    ChecklistItem,
    Deduction,
    EvaluationPoint,
    Evidence,
    Problem,
    Recommendation,
    SampleDraw,
    SampledUnit,
    TypicalExample,
)
from assessment.services import findings
from assessment.services.sampling import sample_draw
from core.models import FormToken
from tests.factories import UnitFactory, UserFactory, form_token
from units.models import RosterImport, Unit

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TOKEN = re.compile(r'name="form_token" value="([0-9a-f-]{36})"')


def token_in(html: str, action: str | None = None) -> str:
    """The form token of the form posting to ``action`` (of the page's only form that has one)."""
    if action is not None:
        html = html[html.index(f'action="{action}"') :]
        return TOKEN.search(html).group(1)
    tokens = TOKEN.findall(html)
    assert len(tokens) == 1, tokens
    return tokens[0]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _roster() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append(["单位名称", "单位类别", "上级单位"])
    sheet.append(["石桥村", "村", "青山县/城关镇"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Case:
    user: str
    page: str  # the page (or the htmx fragment) that renders the form
    action: str | None  # where the form posts (None: the page itself)
    data: dict
    model: type
    htmx: bool = False
    files: dict = field(default_factory=dict)  # name → (file name, bytes): a fresh upload each time


@pytest.fixture
def world(setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    s = setup
    t, item = s["qs_target"], s["item"]
    criterion = item.criteria.get()
    s["criterion"] = criterion
    s["deduction"] = findings.deduction_create(
        target=t, item=item, criterion=None, unit=None, points="1", reason="已有扣分", user=s["member"]
    )
    s["school"] = UnitFactory(name="青山县第一中学", kind=Unit.Kind.SCHOOL, parent=s["qingshan"])
    sample_draw(target=t, seed=7, user=s["admin"])
    UserFactory(username="newleader", name="新组长")
    return s


def cases(s) -> dict[str, Case]:
    t, item = s["qs_target"], s["item"]
    items = f"/campaigns/targets/{t.pk}/items/{item.pk}"
    campaign = s["campaign"]
    town = Unit.objects.get(name="城关镇", parent=s["qingshan"])
    return {
        "deduction": Case(
            "member",
            f"{items}/deductions/new/?criterion={s['criterion'].pk}",
            f"{items}/deductions/new/",
            {"criterion": s["criterion"].pk, "points": "0.5", "reason": "台账不全"},
            Deduction,
            htmx=True,
        ),
        "problem": Case(
            "member",
            f"{items}/problems/new/",
            f"{items}/problems/new/",
            {"text": "记录不全", "rectification": "open"},
            Problem,
            htmx=True,
        ),
        "point": Case(
            "member",
            f"{items}/points/new/",
            f"{items}/points/new/",
            {"headline": "凝聚人心有声势"},
            EvaluationPoint,
            htmx=True,
        ),
        "example": Case(
            "member",
            f"/campaigns/targets/{t.pk}/examples/",
            f"/campaigns/targets/{t.pk}/examples/new/",
            {"title": "院落自治"},
            TypicalExample,
            htmx=True,
        ),
        "recommendation": Case(
            "member",
            f"/campaigns/targets/{t.pk}/examples/",
            f"/campaigns/targets/{t.pk}/recommendations/new/",
            {"headline": "进一步强化工作统筹"},
            Recommendation,
            htmx=True,
        ),
        "evidence": Case(
            "member",
            f"{items}/",
            f"/campaigns/deductions/{s['deduction'].pk}/evidence/",
            {},
            Evidence,
            htmx=True,
            files={"file": ("现场.png", _png())},
        ),
        "campaign": Case(
            "admin",
            "/campaigns/new/",
            None,
            {"title": "2022年度考核", "year": "2022", "issuer": "市委"},
            Campaign,
        ),
        "group": Case(
            "admin",
            f"/campaigns/{campaign.pk}/groups/new/",
            None,
            {
                "name": "市委第七考核组",
                "leader": UserFactory._meta.model.objects.get(username="newleader").pk,
                "methods": ["document_check"],
            },
            AssessmentGroup,
        ),
        "checklist item": Case(
            "admin",
            f"/campaigns/{campaign.pk}/checklist/new/",
            None,
            {
                "title": "统战工作",
                "full_score": "10",
                "criteria-TOTAL_FORMS": "1",
                "criteria-INITIAL_FORMS": "0",
                "criteria-0-text": "专题研究统战工作",
            },
            ChecklistItem,
        ),
        "unit": Case(
            "admin",
            f"/units/new/?parent={town.pk}",
            None,
            {"parent": town.pk, "name": "石桥村", "kind": "village", "org_type": "branch"},
            Unit,
        ),
        "roster upload": Case(
            "admin", "/units/import/", None, {}, RosterImport, files={"file": ("名册.xlsx", _roster())}
        ),
        "checklist upload": Case(
            "admin",
            f"/campaigns/{campaign.pk}/checklist/import/",
            None,
            {},
            ChecklistImport,
            files={"file": ("清单.xlsx", checklist_template())},
        ),
        "draw": Case(
            "admin",
            f"/campaigns/targets/{t.pk}/draw/",
            None,
            {"seed": "20220110", "reason": "重新抽取"},
            SampleDraw,
        ),
        "draw all": Case(
            "admin",
            f"/campaigns/{campaign.pk}/sampling/",
            f"/campaigns/{campaign.pk}/sampling/draw-all/",
            {"all-seed": "99"},
            SampleDraw,
        ),
        "sampled by hand": Case(
            "leader",
            f"/campaigns/targets/{t.pk}/sample/add/",
            None,
            {"unit": s["school"].pk, "reason": "群众反映食堂管理问题"},
            SampledUnit,
        ),
    }


CASES = [
    "deduction",
    "problem",
    "point",
    "example",
    "recommendation",
    "evidence",
    "campaign",
    "group",
    "checklist item",
    "unit",
    "roster upload",
    "checklist upload",
    "draw",
    "draw all",
    "sampled by hand",
]


def _submit(client: Client, case: Case, url: str, token: str | None):
    data = {**case.data, **({"form_token": token} if token else {})}
    for name, (file_name, content) in case.files.items():
        data[name] = SimpleUploadedFile(file_name, content)
    return client.post(url, data, **(HTMX if case.htmx else {}))


@pytest.mark.parametrize("name", CASES)
def test_the_same_form_submitted_twice_creates_one_record(world, name):
    case = cases(world)[name]
    client = Client()
    client.force_login(world[case.user])
    # The workspace's blank "add" forms are fragments loaded by htmx when the "add" first opens.
    fragment = case.htmx and case.page.split("?")[0] == case.action
    page = client.get(case.page, **(HTMX if fragment else {}))
    assert page.status_code == 200
    token = token_in(page.content.decode(), case.action)
    url = case.action or case.page
    before = case.model.objects.count()

    first = _submit(client, case, url, token)
    assert first.status_code in (200, 302), first.content.decode()[:500]
    created = case.model.objects.count() - before
    assert created >= 1
    second = _submit(client, case, url, token)
    # Answered as the first was (the section as it is now, or the same page to go to) …
    assert second.status_code == first.status_code
    if first.status_code == 302:
        assert second["Location"] == first["Location"]
    # … and nothing more was created.
    assert case.model.objects.count() - before == created
    assert FormToken.objects.filter(token=token).count() == 1


@pytest.mark.parametrize("name", CASES)
def test_a_form_without_its_token_is_refused_and_writes_nothing(world, name):
    case = cases(world)[name]
    client = Client()
    client.force_login(world[case.user])
    before = case.model.objects.count()
    response = _submit(client, case, case.action or case.page, None)
    html = response.content.decode()
    if response.status_code == 302:  # without htmx, the page it goes back to says why
        html = client.get(response["Location"]).content.decode()
    else:
        assert response.status_code in (200, 422)
    assert "表单已过期或不完整，请刷新页面后重新填写提交。" in html
    assert case.model.objects.count() == before


def test_a_refused_form_keeps_its_token_for_the_corrected_submission(world):
    client = Client()
    client.force_login(world["member"])
    url = f"/campaigns/targets/{world['qs_target'].pk}/items/{world['item'].pk}/problems/new/"
    token = form_token()
    refused = client.post(url, {"text": "", "rectification": "open", "form_token": token}, **HTMX)
    assert refused.status_code == 422 and not FormToken.objects.exists()
    saved = client.post(url, {"text": "记录不全", "rectification": "open", "form_token": token}, **HTMX)
    assert saved.status_code == 200 and Problem.objects.filter(text="记录不全").count() == 1


def test_another_persons_token_is_refused(world):
    url = f"/campaigns/targets/{world['qs_target'].pk}/items/{world['item'].pk}/problems/new/"
    token = form_token()
    leader, member = Client(), Client()
    leader.force_login(world["leader"])
    member.force_login(world["member"])
    assert (
        leader.post(
            url, {"text": "组长发现的问题", "rectification": "open", "form_token": token}, **HTMX
        ).status_code
        == 200
    )
    response = member.post(
        url, {"text": "组员发现的问题", "rectification": "open", "form_token": token}, **HTMX
    )
    assert response.status_code == 422
    assert "表单已过期或不完整" in response.content.decode()
    assert list(Problem.objects.values_list("text", flat=True)) == ["组长发现的问题"]


def test_a_replay_without_htmx_says_it_was_already_saved(world):
    client = Client()
    client.force_login(world["admin"])
    data = {"title": "2022年度考核", "year": "2022", "issuer": "市委", "form_token": form_token()}
    client.post("/campaigns/new/", data)
    response = client.post("/campaigns/new/", data, follow=True)
    assert "这份表单已经提交过，没有重复保存。" in response.content.decode()
    assert Campaign.objects.filter(title="2022年度考核").count() == 1
