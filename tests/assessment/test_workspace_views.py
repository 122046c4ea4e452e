"""The workspace as its users meet it: pages per role, in-place edits, errors, conflicts, locks."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import AuditEntry, Campaign, Deduction, ItemAssessment, Problem, Target
from assessment.services import findings, overview
from assessment.services.editing import LATEST
from tests.factories import ChecklistItemFactory, CriterionFactory, form_token

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ws(setup):
    target, item = setup["qs_target"], setup["item"]
    return {**setup, "target": target, "url": reverse("campaigns:target_item", args=[target.pk, item.pk])}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, name, *args, data=None, htmx=True):
    data = dict(data or {})
    if name.endswith("_create"):
        data.setdefault("form_token", form_token())  # as every rendered create form carries one
    return client.post(reverse(f"campaigns:{name}", args=args), data, **(HTMX if htmx else {}))


def blank_url(kind, ws, criterion=None) -> str:
    url = reverse(f"campaigns:{kind}_create", args=[ws["target"].pk, ws["item"].pk])
    return f"{url}?criterion={criterion}" if criterion else url


def test_member_sees_the_item_with_its_score_and_forms(ws):
    html = client_for(ws["member"]).get(ws["url"]).content.decode()
    # Nobody decided the item: no score, not full marks.
    assert "（一）老干部工作" in html and "满分25分，已扣0分，" in html and "得25分" not in html
    assert '<span class="app-unscored">未评分</span>/25分' in html  # the side list
    assert 'data-testid="total">未评分</span>' in html and "已完成 0/1 项" in html  # the header
    assert 'data-testid="add-deduction"' in html and 'data-testid="lead"' in html
    findings.score_decide(
        target=ws["target"], item=ws["item"], decided=True, version=LATEST, user=ws["leader"]
    )
    html = client_for(ws["member"]).get(ws["url"]).content.decode()
    assert "满分25分，扣0分，得25分" in html and "25/25分" in html
    assert 'data-testid="total">得分 25 / 25 分</span>' in html


def test_the_header_gives_a_provisional_sum_while_items_are_undecided(ws):
    second = ChecklistItemFactory(campaign=ws["campaign"], order=2, title="基层组织建设", full_score=15)
    findings.deduction_create(
        target=ws["target"],
        item=second,
        criterion=None,
        unit=None,
        points="1.5",
        reason="未落实",
        user=ws["leader"],
    )
    findings.score_decide(target=ws["target"], item=second, decided=True, version=LATEST, user=ws["leader"])
    html = client_for(ws["member"]).get(ws["url"]).content.decode()
    assert 'data-testid="total">暂计 13.5 分（1 项未评分）</span>' in html and "满分 40 分" in html
    assert "13.5/15分" in html and '<span class="app-unscored">未评分</span>/25分' in html


def test_reviewer_reads_without_any_form(ws):
    html = client_for(ws["reviewer"]).get(ws["url"]).content.decode()
    assert "满分25分" in html and "您以只读方式查看" in html
    assert 'data-testid="add-deduction"' not in html and 'name="lead"' not in html


def test_another_group_gets_404(ws):
    assert client_for(ws["other"]).get(ws["url"]).status_code == 404


def test_deduction_saved_in_place_returns_the_section_and_the_side_list(ws):
    criterion = ws["item"].criteria.get()
    response = post(
        client_for(ws["member"]),
        "deduction_create",
        ws["target"].pk,
        ws["item"].pk,
        data={"criterion": criterion.pk, "points": "0.5", "reason": "信息库未及时更新"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "满分25分，已扣0.5分，" in html and "未评分" in html  # a deduction leaves the item undecided
    assert 'id="side-list" aria-label="考核项目" hx-swap-oob="true"' in html
    assert (
        'id="ws-total" hx-swap-oob="true"' in html
        and 'id="ws-submit" class="d-flex" hx-swap-oob="true"' in html
    )
    assert Deduction.objects.get().reason == "信息库未及时更新"


def test_without_htmx_a_save_redirects_back_to_the_item(ws):
    criterion = ws["item"].criteria.get()
    response = post(
        client_for(ws["member"]),
        "deduction_create",
        ws["target"].pk,
        ws["item"].pk,
        data={"criterion": criterion.pk, "points": "1", "reason": "未更新"},
        htmx=False,
    )
    assert response.status_code == 302 and response["Location"] == ws["url"] + "#deductions"
    assert Deduction.objects.count() == 1


def test_invalid_points_answer_422_with_the_form_and_its_message(ws):
    criterion = ws["item"].criteria.get()
    response = post(
        client_for(ws["member"]),
        "deduction_create",
        ws["target"].pk,
        ws["item"].pk,
        data={"criterion": criterion.pk, "points": "很多", "reason": "未更新"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "扣分须为数字，如 0.5 或 2。" in html and "未更新" in html
    assert not Deduction.objects.exists()


def test_criterion_cap_is_explained(ws):
    criterion = ws["item"].criteria.get()  # 5 points
    response = post(
        client_for(ws["member"]),
        "deduction_create",
        ws["target"].pk,
        ws["item"].pk,
        data={"criterion": criterion.pk, "points": "6", "reason": "严重"},
    )
    assert response.status_code == 422
    assert "该细则分值5分，已扣0分，最多还能扣5分。" in response.content.decode()


def test_a_save_over_someone_elses_newer_version_is_a_409_showing_both(ws):
    problem = findings.problem_create(target=ws["target"], item=ws["item"], text="原稿", user=ws["leader"])
    findings.problem_update(problem=problem, version=1, text="组长的修改", user=ws["leader"])
    response = post(
        client_for(ws["member"]),
        "problem_edit",
        problem.pk,
        data={"version": "1", "text": "组员的修改", "rectification": "open"},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "钱组长 已于" in html and "组长的修改" in html and "组员的修改" in html
    assert Problem.objects.get().text == "组长的修改"


def test_an_edit_posted_without_its_version_is_refused(ws):
    problem = findings.problem_create(target=ws["target"], item=ws["item"], text="原稿", user=ws["leader"])
    response = post(
        client_for(ws["member"]), "problem_edit", problem.pk, data={"text": "改稿", "rectification": "open"}
    )
    assert response.status_code == 422
    assert "页面内容已过期，请刷新页面后再保存。" in response.content.decode()
    assert Problem.objects.get().text == "原稿"


def _made(ws) -> dict:
    """Two of each record that can be moved; the second one is the one acted on."""
    t, item, leader = ws["target"], ws["item"], ws["leader"]
    made = {
        "deduction": findings.deduction_create(
            target=t, item=item, criterion=None, unit=None, points="1", reason="原稿", user=leader
        )
    }
    for title in ("第一条", "第二条"):
        made["problem"] = findings.problem_create(target=t, item=item, text=title, user=leader)
        made["point"] = findings.point_create(target=t, item=item, headline=title, body="", user=leader)
        made["example"] = overview.example_create(target=t, title=title, body="", user=leader)
        made["recommendation"] = overview.recommendation_create(
            target=t, headline=title, body="", user=leader
        )
    return made


CRAFTED = [
    ("deduction_delete", "deduction", {}),
    ("problem_delete", "problem", {}),
    ("problem_move", "problem", {"direction": "up"}),
    ("point_delete", "point", {}),
    ("point_move", "point", {"direction": "up"}),
    ("example_delete", "example", {}),
    ("example_move", "example", {"direction": "up"}),
    ("recommendation_delete", "recommendation", {}),
    ("recommendation_move", "recommendation", {"direction": "up"}),
]


@pytest.mark.parametrize(("name", "kind", "data"), CRAFTED, ids=[c[0] for c in CRAFTED])
def test_a_crafted_delete_or_move_without_a_version_is_refused(ws, name, kind, data):
    made = _made(ws)
    obj = made[kind]
    audit = AuditEntry.objects.count()
    response = post(client_for(ws["member"]), name, obj.pk, data=data)
    assert response.status_code == 422
    assert "页面内容已过期，请刷新页面后再保存。" in response.content.decode()
    assert type(obj).objects.filter(pk=obj.pk).exists() and AuditEntry.objects.count() == audit
    # Without htmx, the page it goes back to says why.
    client = client_for(ws["member"])
    response = post(client, name, obj.pk, data=data, htmx=False)
    assert response.status_code == 302
    assert "页面内容已过期，请刷新页面后再保存。" in client.get(response["Location"]).content.decode()
    assert type(obj).objects.filter(pk=obj.pk).exists() and AuditEntry.objects.count() == audit
    # With the version the page showed, it is done.
    response = post(client_for(ws["member"]), name, obj.pk, data={**data, "version": obj.version})
    assert response.status_code == 200 and AuditEntry.objects.count() > audit


@pytest.mark.parametrize(
    ("name", "data"),
    [("lead", {"lead": "改写的评价"}), ("bonus", {"bonus": "0", "bonus_reason": ""})],
)
def test_the_items_texts_need_their_version(ws, name, data):
    Campaign.objects.filter(pk=ws["campaign"].pk).update(bonus_enabled=True, bonus_cap=3)
    findings.evaluation_lead_save(
        target=ws["target"], item=ws["item"], lead="原稿", version=LATEST, user=ws["leader"]
    )
    response = post(client_for(ws["member"]), name, ws["target"].pk, ws["item"].pk, data=data)
    assert response.status_code == (428 if name == "lead" else 422)  # the autosave has no form to show
    assert "页面内容已过期，请刷新页面后再保存。" in response.content.decode()
    assessment = ItemAssessment.objects.get()
    assert (assessment.lead, assessment.version) == ("原稿", 2)


def test_the_narrative_autosave_needs_its_version_and_says_why_in_plain_text(ws):
    client = client_for(ws["member"])
    url_args = [ws["target"].pk]
    response = post(client, "narrative", *url_args, data={"narrative": "没有版本号的工作情况"})
    assert response.status_code == 428 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "页面内容已过期，请刷新页面后再保存。"
    assert Target.objects.get(pk=ws["target"].pk).narrative == ""
    # As typed: each save answers the new version, which the next save sends.
    response = post(client, "narrative", *url_args, data={"narrative": "第一稿", "version": "1"})
    assert 'name="version" value="2" id="narrative-version" hx-swap-oob="true"' in response.content.decode()
    response = post(client, "narrative", *url_args, data={"narrative": "第二稿", "version": "2"})
    assert response.status_code == 200
    target = Target.objects.get(pk=ws["target"].pk)
    assert (target.narrative, target.narrative_version) == ("第二稿", 3)


def test_a_lead_saved_before_anyone_created_the_assessment_conflicts_with_a_second_first_save(ws):
    # Two people open the item before its assessment exists: both pages say version 1.
    html = client_for(ws["member"]).get(ws["url"]).content.decode()
    assert f'name="version" value="1" id="lead-{ws["item"].pk}-version"' in html
    leader, member = client_for(ws["leader"]), client_for(ws["member"])
    assert (
        post(
            leader, "lead", ws["target"].pk, ws["item"].pk, data={"lead": "组长的", "version": "1"}
        ).status_code
        == 200
    )
    response = post(member, "lead", ws["target"].pk, ws["item"].pk, data={"lead": "组员的", "version": "1"})
    assert response.status_code == 409
    assert ItemAssessment.objects.get().lead == "组长的"


def test_the_lead_saves_as_typed_and_answers_with_the_new_version(ws):
    client = client_for(ws["member"])
    # The item has no assessment yet: the page shows version 1, the version it is created at.
    response = post(client, "lead", ws["target"].pk, ws["item"].pk, data={"lead": "工作扎实", "version": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="lead-{ws["item"].pk}-version" hx-swap-oob="true"' in html and "已保存" in html
    assessment = ItemAssessment.objects.get()
    response = post(
        client,
        "lead",
        ws["target"].pk,
        ws["item"].pk,
        data={"lead": "工作扎实有效", "version": assessment.version},
    )
    assert response.status_code == 200
    assert AuditEntry.objects.filter(model="assessment.itemassessment").count() == 1  # typing is one change


def test_a_lead_conflict_retargets_the_whole_evaluation(ws):
    findings.evaluation_lead_save(
        target=ws["target"], item=ws["item"], lead="组长写的", version=LATEST, user=ws["leader"]
    )
    response = post(
        client_for(ws["member"]),
        "lead",
        ws["target"].pk,
        ws["item"].pk,
        data={"lead": "组员写的", "version": "1"},
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == f"#evaluation-{ws['item'].pk}"
    assert "组长写的" in response.content.decode() and "组员写的" in response.content.decode()


def test_the_reviewer_cannot_post_findings(ws):
    response = post(
        client_for(ws["reviewer"]), "problem_create", ws["target"].pk, ws["item"].pk, data={"text": "x"}
    )
    assert response.status_code == 403 and not Problem.objects.exists()


@pytest.mark.parametrize("status", ["submitted", "approved", "finalized"])
def test_a_post_to_a_locked_target_is_403_even_without_the_button(ws, status):
    Target.objects.filter(pk=ws["target"].pk).update(status=status)
    response = post(
        client_for(ws["member"]), "problem_create", ws["target"].pk, ws["item"].pk, data={"text": "x"}
    )
    assert response.status_code == 403 and not Problem.objects.exists()
    html = client_for(ws["member"]).get(ws["url"]).content.decode()
    assert 'data-testid="add-problem"' not in html


def test_a_lapsed_session_answers_htmx_with_401_and_pages_with_the_login(ws):
    anonymous = Client()
    assert post(anonymous, "lead", ws["target"].pk, ws["item"].pk, data={"lead": "x"}).status_code == 401
    response = anonymous.get(ws["url"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def gap_links(html: str) -> list[tuple[str, str]]:
    """(href, text) of the gap links in a page."""
    return re.findall(r'<a href="([^"]+)" data-testid="gap" data-place="\w+">([^<]+)</a>', html)


def test_a_refused_submit_shows_one_box_with_links_to_each_fix(ws):
    leader = client_for(ws["leader"])
    response = leader.post(reverse("campaigns:target_submit", args=[ws["target"].pk]), follow=True)
    html = response.content.decode()
    pk, item = ws["target"].pk, ws["item"].pk
    assert html.count('class="alert alert-danger') == 1 and html.count("还不能提交，请先完成以下 3 项：") == 1
    box = html.split('class="alert alert-danger', 1)[1].split("</div>\n  \n", 1)[0]
    assert gap_links(box) == [
        (f"/campaigns/targets/{pk}/overview/#narrative", "工作情况尚未填写"),
        (f"/campaigns/targets/{pk}/items/{item}/#deductions", "（一）老干部工作 尚未确认得分"),
        (f"/campaigns/targets/{pk}/items/{item}/#evaluation", "（一）老干部工作 尚未填写总体评价（导语）"),
    ]
    assert Target.objects.get(pk=pk).status == "drafting"
    findings.score_decide(
        target=ws["target"], item=ws["item"], decided=True, version=LATEST, user=ws["leader"]
    )
    findings.evaluation_lead_save(
        target=ws["target"], item=ws["item"], lead="扎实", version=LATEST, user=ws["leader"]
    )
    overview.narrative_save(
        target=ws["target"], narrative="全县党建工作扎实推进。", version=LATEST, user=ws["leader"]
    )
    leader.post(reverse("campaigns:target_submit", args=[ws["target"].pk]))
    assert Target.objects.get(pk=ws["target"].pk).status == "submitted"


def test_the_submit_button_says_what_is_missing_by_the_same_rule(ws):
    leader = client_for(ws["leader"])
    html = leader.get(ws["url"]).content.decode()
    assert 'data-testid="submit-blocked"' in html and "提交审核（还差 3 项）" in html
    assert 'data-testid="submit-target"' not in html
    assert [text for _href, text in gap_links(html)] == [
        "工作情况尚未填写",
        "（一）老干部工作 尚未确认得分",
        "（一）老干部工作 尚未填写总体评价（导语）",
    ]
    findings.deduction_create(
        target=ws["target"],
        item=ws["item"],
        criterion=None,
        unit=None,
        points="1",
        reason="未落实",
        user=ws["leader"],
    )
    findings.score_decide(
        target=ws["target"], item=ws["item"], decided=True, version=LATEST, user=ws["leader"]
    )
    findings.evaluation_lead_save(
        target=ws["target"], item=ws["item"], lead="扎实", version=LATEST, user=ws["leader"]
    )
    overview.narrative_save(
        target=ws["target"], narrative="全县党建工作扎实推进。", version=LATEST, user=ws["leader"]
    )
    html = leader.get(ws["url"]).content.decode()
    assert "提交审核（还差 1 项）" in html and 'data-testid="problems-needed"' in html
    assert gap_links(html) == [
        (
            f"/campaigns/targets/{ws['target'].pk}/items/{ws['item'].pk}/#problems",
            "（一）老干部工作 有扣分，但问题清单为空",
        )
    ]
    findings.problem_create(target=ws["target"], item=ws["item"], text="台账不全", user=ws["leader"])
    html = leader.get(ws["url"]).content.decode()
    assert 'data-testid="submit-target"' in html and 'data-testid="submit-blocked"' not in html
    # Members never see the button; the reviewer sees no submission at all.
    assert "提交审核" not in client_for(ws["member"]).get(ws["url"]).content.decode()
    assert "提交审核" not in client_for(ws["reviewer"]).get(ws["url"]).content.decode()


def test_return_needs_a_comment_and_the_group_sees_it(ws):
    findings.score_decide(
        target=ws["target"], item=ws["item"], decided=True, version=LATEST, user=ws["leader"]
    )
    findings.evaluation_lead_save(
        target=ws["target"], item=ws["item"], lead="扎实", version=LATEST, user=ws["leader"]
    )
    overview.narrative_save(
        target=ws["target"], narrative="全县党建工作扎实推进。", version=LATEST, user=ws["leader"]
    )
    client_for(ws["leader"]).post(reverse("campaigns:target_submit", args=[ws["target"].pk]))
    reviewer = client_for(ws["reviewer"])
    html = reviewer.post(
        reverse("campaigns:target_return", args=[ws["target"].pk]), {"comment": ""}, follow=True
    ).content.decode()
    assert "退回时请写明需要修改的内容。" in html
    reviewer.post(reverse("campaigns:target_return", args=[ws["target"].pk]), {"comment": "请补充问题清单"})
    html = client_for(ws["member"]).get(ws["url"]).content.decode()
    assert 'data-testid="return-banner"' in html and "请补充问题清单" in html


def test_history_shows_changes_and_filters_by_object(ws):
    problem = findings.problem_create(target=ws["target"], item=ws["item"], text="原稿", user=ws["leader"])
    findings.problem_update(problem=problem, version=1, text="改稿", user=ws["member"])
    findings.point_create(
        target=ws["target"], item=ws["item"], headline="凝聚人心有声势", body="", user=ws["member"]
    )
    client = client_for(ws["reviewer"])
    url = reverse("campaigns:target_history", args=[ws["target"].pk])
    html = client.get(url).content.decode()
    assert html.count('class="list-group-item small"') == 3
    assert "<del>原稿</del>" in html and "<ins>改稿</ins>" in html
    html = client.get(url, {"model": "assessment.problem", "object": problem.pk}).content.decode()
    assert html.count('class="list-group-item small"') == 2 and "凝聚人心有声势" not in html


def test_narrative_and_texts_tabs(ws):
    client = client_for(ws["member"])
    assert (
        post(
            client, "narrative", ws["target"].pk, data={"narrative": "2021年，青山县……", "version": "1"}
        ).status_code
        == 200
    )
    assert Target.objects.get(pk=ws["target"].pk).narrative == "2021年，青山县……"
    response = post(
        client,
        "recommendation_create",
        ws["target"].pk,
        data={"headline": "一是进一步强化工作统筹", "body": "明确职责"},
    )
    assert "进一步强化工作统筹" in response.content.decode()
    response = post(client, "example_create", ws["target"].pk, data={"title": "院落自治", "body": "做法"})
    assert response.status_code == 200 and 'data-testid="example"' in response.content.decode()


def test_items_page_takes_a_fixed_number_of_queries(ws, django_assert_max_num_queries):
    criterion = CriterionFactory(item=ws["item"], points=None)
    client = client_for(ws["member"])
    client.get(ws["url"])
    for n in range(30):
        findings.deduction_create(
            target=ws["target"],
            item=ws["item"],
            criterion=criterion,
            unit=None,
            points="0.5",
            reason=f"第{n}条",
            user=ws["member"],
        )
        findings.problem_create(target=ws["target"], item=ws["item"], text=f"问题{n}", user=ws["member"])
    with django_assert_max_num_queries(25):
        assert client.get(ws["url"]).status_code == 200


def test_the_add_forms_load_when_opened_each_with_its_own_draft_key(ws):
    """The page holds collapsed "add"s that fetch their blank form on opening; every form and
    every "add" keeps its draft under a key of its own, so a draft never lands in another form."""
    second = CriterionFactory(item=ws["item"], order=2)
    first = ws["item"].criteria.exclude(pk=second.pk).get()
    deduction = findings.deduction_create(
        target=ws["target"],
        item=ws["item"],
        criterion=first,
        unit=None,
        points="1",
        reason="台账不全",
        user=ws["member"],
    )
    client = client_for(ws["member"])
    page = client.get(ws["url"]).content.decode()
    assert "<select" not in page.split('id="deductions"')[1].split('id="problems"')[0]
    t, i = ws["target"].pk, ws["item"].pk
    for key, url in (
        (f"{t}-deduction-new-{first.pk}", blank_url("deduction", ws, first.pk)),
        (f"{t}-deduction-new-{second.pk}", blank_url("deduction", ws, second.pk)),
        (f"{t}-problem-new-{i}", blank_url("problem", ws)),
        (f"{t}-point-new-{i}", blank_url("point", ws)),
    ):
        assert f'hx-get="{url}" hx-trigger="toggle once"' in page.replace("&amp;", "&")
        assert f'data-draft-key="{key}"' in page
        form = client.get(url, **HTMX).content.decode()
        assert form.count("<form") == 1 and f'data-draft="{key}"' in form
        assert 'name="csrfmiddlewaretoken"' in form
    deduction_form = client.get(blank_url("deduction", ws, second.pk), **HTMX).content.decode()
    assert f'name="criterion" value="{second.pk}"' in deduction_form
    assert f'id="new-deduction-{second.pk}-reason"' in deduction_form
    edit = client.get(reverse("campaigns:deduction_edit", args=[deduction.pk]), **HTMX).content.decode()
    assert f'data-draft="{t}-deduction-{deduction.pk}"' in edit


def test_a_blank_form_needs_the_right_to_write(ws):
    url = blank_url("problem", ws)
    assert client_for(ws["reviewer"]).get(url, **HTMX).status_code == 403
    assert client_for(ws["other"]).get(url, **HTMX).status_code == 404
    Target.objects.filter(pk=ws["target"].pk).update(status="submitted")
    assert client_for(ws["member"]).get(url, **HTMX).status_code == 403


def test_a_blank_deduction_form_of_another_items_criterion_is_404(ws):
    foreign = CriterionFactory()  # of an item of another campaign
    client = client_for(ws["member"])
    assert client.get(blank_url("deduction", ws, foreign.pk), **HTMX).status_code == 404
    assert client.get(blank_url("deduction", ws, "x"), **HTMX).status_code == 404
    assert client.get(blank_url("deduction", ws), **HTMX).status_code == 404


def test_without_htmx_a_blank_form_url_goes_back_to_the_section(ws):
    response = client_for(ws["member"]).get(blank_url("problem", ws))
    assert response.status_code == 302 and response["Location"].endswith(f"{ws['url']}#problems")


def confirmation_of(html: str, step: str) -> str:
    """The data-confirm text of the form posting to the workflow ``step``."""
    match = re.search(rf'action="/campaigns/targets/\d+/{step}/" data-confirm="([^"]+)"', html)
    assert match, f"the {step} form asks nothing"
    return match.group(1)


def test_every_workflow_button_says_what_it_will_do_before_acting(ws):
    target = ws["target"]
    findings.score_decide(target=target, item=ws["item"], decided=True, version=LATEST, user=ws["leader"])
    findings.evaluation_lead_save(
        target=target, item=ws["item"], lead="扎实", version=LATEST, user=ws["leader"]
    )
    overview.narrative_save(
        target=target, narrative="全县党建工作扎实推进。", version=LATEST, user=ws["leader"]
    )
    html = client_for(ws["leader"]).get(ws["url"]).content.decode()
    assert confirmation_of(html, "submit") == "提交后本组将不能修改，直到审核退回。确定提交审核吗？"
    client_for(ws["leader"]).post(reverse("campaigns:target_submit", args=[target.pk]))
    html = client_for(ws["reviewer"]).get(ws["url"]).content.decode()
    assert "考核组可以修改" in confirmation_of(html, "return")
    assert "等待管理员定稿" in confirmation_of(html, "approve")
    client_for(ws["reviewer"]).post(reverse("campaigns:target_approve", args=[target.pk]))
    html = client_for(ws["admin"]).get(ws["url"]).content.decode()
    assert "任何人不能修改" in confirmation_of(html, "finalize")
    assert "须重新提交、审核和定稿" in confirmation_of(html, "reopen")
    campaign = client_for(ws["admin"]).get(ws["campaign"].get_absolute_url()).content.decode()
    assert re.search(r'action="/reports/campaigns/\d+/batch/" data-confirm="[^"]*可能需要几分钟', campaign)
