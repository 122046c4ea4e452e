"""The ballot's pages as people meet them: the phone page, keyboard entry, Excel import, results,
commands; and who may open them."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from assessment.models import CampaignReviewer, GroupMember
from ballots.models import CastBallot, Token
from ballots.services import setup
from tests.factories import GroupFactory, UserFactory, add_member, form_token
from tests.xlsx_builder import make_xlsx


def test_phone_page_votes_once_with_the_code_in_the_body(open_ballot):
    w = open_ballot
    client = Client()
    token = Token.objects.first()
    page = client.get(f"/v/{token.code}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        "城关镇" in body
        and 'name="code"' in body
        and "http" not in body.split("<body>")[1].split("vote.css")[0]
    )
    fields = {f"s{s.pk}": "好" for s in w["subjects"]}
    review = client.post("/v/", {"code": token.code, "step": "review", **fields})
    assert "提交后不能修改" in review.content.decode()
    assert CastBallot.objects.count() == 0
    done = client.post("/v/", {"code": token.code, "step": "submit", **fields})
    assert "提交成功" in done.content.decode()
    again = client.post("/v/", {"code": token.code, "step": "submit", **fields})
    assert again.status_code == 409 and "此测评码已使用" in again.content.decode()
    assert client.get(f"/v/{token.code}/").status_code == 409
    assert CastBallot.objects.count() == 1
    unknown = client.post("/v/", {"code": "2345-6789-ABCDE", "step": "submit"})
    assert unknown.status_code == 404 and "没有这个测评码" in unknown.content.decode()
    assert "sessionid" not in client.cookies


def _reviewer_client(w):
    reviewer = UserFactory(username="ballot_reviewer")
    CampaignReviewer.objects.create(campaign=w["campaign"], user=reviewer)
    client = Client()
    client.force_login(reviewer)
    return client


def test_keyboard_entry_checks_then_stores_one_batch(open_ballot):
    w = open_ballot
    client = _reviewer_client(w)
    url = f"/ballots/{w['ballot'].pk}/entry/"
    bad = client.post(url, {"lines": "1 1 12\n2 9 123", "form_token": form_token()})
    text = bad.content.decode()
    assert "第1行：标记有 2 个，应为 3 个" in text and "第2行：类别“9”应为 1 至 3 的数字" in text
    lines = "1 1 120\n2 3 x4 1\n3 2 000"
    checked = client.post(url, {"lines": lines, "form_token": form_token()})
    assert "确认录入 3 张" in checked.content.decode()
    assert CastBallot.objects.count() == 0
    changed = client.post(
        url, {"lines": lines + "\n4 1 111", "checked": lines, "confirm": "1", "form_token": form_token()}
    )
    assert "检查之后又改动了内容" in changed.content.decode() and "确认录入 4 张" in changed.content.decode()
    assert CastBallot.objects.count() == 0
    typed = lines.replace("\n", "\r\n  ")  # the textarea's line ends and stray spaces are not a change
    done = client.post(url, {"lines": typed, "checked": lines, "confirm": "1", "form_token": form_token()})
    assert done.status_code == 302
    marks = sorted(CastBallot.objects.values_list("serial", "marks"))
    ids = [str(s.pk) for s in w["subjects"]]
    assert marks[1] == ("2", {ids[0]: "无效", ids[1]: "差", ids[2]: "好"})
    assert marks[2] == ("3", dict.fromkeys(ids, "弃权"))


def test_excel_import_preview_confirm_and_wrong_file_writes_nothing(open_ballot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = open_ballot
    client = _reviewer_client(w)
    header = ["序号", "测评人类别", "城关镇", "河口乡", "县教育局"]
    bad = make_xlsx([header, [1, "群众", "好", "好", "好"]], title_rows=["纸质票"])
    response = client.post(
        f"/ballots/{w['ballot'].pk}/import/",
        {"file": SimpleUploadedFile("票.xlsx", bad), "form_token": form_token()},
        follow=True,
    )
    assert "测评人类别“群众”不是本次测评的类别" in response.content.decode()
    assert CastBallot.objects.count() == 0
    good = make_xlsx(
        [header, [1, "县级领导干部", "好", "较好", None], [2, "党代表和群众代表", "好、差", None, "差"]],
        title_rows=["纸质票"],
    )
    preview = client.post(
        f"/ballots/{w['ballot'].pk}/import/",
        {"file": SimpleUploadedFile("票.xlsx", good), "form_token": form_token()},
        follow=True,
    )
    assert "将导入 2 张纸质票" in preview.content.decode()
    assert CastBallot.objects.count() == 0
    record = w["ballot"].imports.get(status="previewed")
    assert client.post(f"/ballots/imports/{record.pk}/confirm/").status_code == 302
    assert CastBallot.objects.filter(channel="paper").count() == 2
    assert client.post(f"/ballots/imports/{record.pk}/confirm/", follow=True).status_code == 200
    assert CastBallot.objects.filter(channel="paper").count() == 2


def test_results_hidden_until_closed_then_page_files_and_json(open_ballot, capsys):
    w = open_ballot
    client = _reviewer_client(w)
    for token, mark in zip(Token.objects.all()[:3], ["好", "较好", "差"], strict=True):
        Client().post("/v/", {"code": token.code, "step": "submit", f"s{w['subjects'][0].pk}": mark})
    waiting = client.get(f"/ballots/{w['ballot'].pk}/results/").content.decode()
    assert "不显示任何部分结果" in waiting
    screen = client.get(f"/ballots/{w['ballot'].pk}/screen/").content.decode()
    assert "3 / —" in screen and "得分" not in screen
    setup.ballot_close(ballot=w["ballot"], user=w["admin"])
    page = client.get(f"/ballots/{w['ballot'].pk}/results/").content.decode()
    assert "测评结果统计" in page and "73.33" in page  # (100 + 80 + 40) / 3
    assert "实到人数未填写完整" in page
    xlsx = client.get(f"/ballots/{w['ballot'].pk}/results.xlsx")
    assert (
        xlsx.status_code == 200
        and xlsx.content == client.get(f"/ballots/{w['ballot'].pk}/results.xlsx").content
    )
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as package:  # not the clock's second: same bytes
        assert b">2000-01-01T00:00:00Z</dcterms:modified>" in package.read("docProps/core.xml")
    docx = client.get(f"/ballots/{w['ballot'].pk}/results.docx")
    assert (
        docx.status_code == 200
        and docx.content == client.get(f"/ballots/{w['ballot'].pk}/results.docx").content
    )
    call_command("ballot_results", "--meeting", str(w["ballot"].pk), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["ballots"] == {"received": 3, "valid": 3, "void": 0}
    assert data["quorum_met"] is None
    assert data["subjects"][0]["unit"] == "城关镇"
    assert data["subjects"][0]["score"] == "73.33" and data["subjects"][0]["good_rate"] == "66.67"
    assert data["subjects"][1]["score"] is None
    assert set(data["subjects"][0]["counts"]["县级领导干部"]) == {"好", "较好", "一般", "差", "弃权", "无效"}


def test_slips_and_commands(open_ballot, tmp_path, capsys):
    w = open_ballot
    client = _reviewer_client(w)
    slips = client.get(f"/ballots/{w['ballot'].pk}/slips/{w['categories'][0].pk}/")
    assert slips.status_code == 200 and slips.content[:2] == b"PK"
    call_command(
        "issue_tokens",
        "--meeting",
        str(w["ballot"].pk),
        "--category",
        "县级领导干部",
        "--count",
        "2",
        "-o",
        str(tmp_path / "slips.docx"),
    )
    assert len(capsys.readouterr().out.split()) == 2
    assert (tmp_path / "slips.docx").read_bytes()[:2] == b"PK"
    data = make_xlsx(
        [["序号", "测评人类别", "城关镇", "河口乡", "县教育局"], [7, "县级领导干部", "好", "好", "好"]]
    )
    path = tmp_path / "票.xlsx"
    path.write_bytes(data)
    call_command("import_ballots", str(path), "--meeting", str(w["ballot"].pk), "--dry-run")
    assert CastBallot.objects.count() == 0
    call_command("import_ballots", str(path), "--meeting", str(w["ballot"].pk))
    assert CastBallot.objects.get().serial == "7"


@pytest.mark.parametrize("role", ["member", "outsider"])
def test_wrong_roles_are_refused_everywhere(open_ballot, role):
    w = open_ballot
    person = w["outsider"]
    if role == "member":
        add_member(GroupFactory(campaign=w["campaign"]), person, role=GroupMember.Role.MEMBER)
    client = Client()
    client.force_login(person)
    expected = 403 if role == "member" else 404
    pk = w["ballot"].pk
    for url in ["", "settings/", "screen/", "entry/", "import/", "results/", "results.xlsx", "paper-form/"]:
        assert client.get(f"/ballots/{pk}/{url}").status_code == expected, url
    for url in ["state/", "present/", "tokens/"]:
        assert client.post(f"/ballots/{pk}/{url}", {"action": "close"}).status_code == expected, url
    assert client.get(f"/ballots/campaign/{w['campaign'].pk}/").status_code == expected
    assert w["ballot"].__class__.objects.get(pk=pk).state == "open"


def test_phone_page_and_submission_stay_few_queries(open_ballot, django_assert_max_num_queries):
    """The whole room submits within a minute (bench/ballots.py): the ballot page and the submission
    each take a handful of queries, however many subjects."""
    w = open_ballot
    client = Client()
    token = Token.objects.first()
    with django_assert_max_num_queries(3):  # the code (with ballot, campaign, category), subjects, options
        assert client.get(f"/v/{token.code}/").status_code == 200
    fields = {f"s{s.pk}": "好" for s in w["subjects"]}
    # code, options, subjects, the spend, the state, the ballot (+ the test's savepoint and release)
    with django_assert_max_num_queries(8):
        assert client.post("/v/", {"code": token.code, "step": "submit", **fields}).status_code == 200
    assert CastBallot.objects.count() == 1


def test_ballot_list_says_what_to_do_first(db):
    """Empty, the list tells the first steps; without targets, where to add them first."""
    from ballots.models import Ballot
    from tests.factories import AdminFactory, add_target, city, county

    admin = AdminFactory(username="ballot_lister")
    client = Client()
    client.force_login(admin)
    group = GroupFactory()
    campaign = group.campaign
    bare = client.get(f"/ballots/campaign/{campaign.pk}/").content.decode()
    assert "现在还没有考核对象" in bare and f'href="/campaigns/{campaign.pk}/"' in bare
    add_target(group, county(city(), "青山县"))
    page = client.get(f"/ballots/campaign/{campaign.pk}/").content.decode()
    assert "先在下面“新建民主测评”" in page and "青山县" in page
    response = client.post(
        f"/ballots/campaign/{campaign.pk}/",
        {"title": "民主测评", "units": [str(group.targets.get().unit_id)], "form_token": form_token()},
    )
    assert response.status_code == 302
    listed = client.get(f"/ballots/campaign/{campaign.pk}/").content.decode()
    assert "先在下面" not in listed and Ballot.objects.get().subjects.get().label == "青山县"


def test_the_question_mark_on_a_ballot_page_opens_its_guide_section(open_ballot):
    w = open_ballot
    client = _reviewer_client(w)
    pk = w["ballot"].pk
    for path, anchor in [
        (f"/ballots/campaign/{w['campaign'].pk}/", "setup"),
        (f"/ballots/{pk}/entry/", "paper"),
        (f"/ballots/{pk}/screen/", "screen"),
        (f"/ballots/{pk}/results/", "close"),
    ]:
        response = client.get("/guide/page/", {"from": path})
        assert response.status_code == 302 and response["Location"] == f"/guide/ballots/#{anchor}", path
    section = client.get("/guide/ballots/").content.decode()
    assert "提交后不能修改" in section and "13 位" in section


def test_subjects_edited_before_opening_then_frozen(ballot_world):
    """准备中: tick, order, name and title the people rated; once open, the page only shows them."""
    w = ballot_world
    client = _reviewer_client(w)
    group = GroupFactory(campaign=w["campaign"])
    from tests.factories import add_target

    for unit in w["units"]:
        add_target(group, unit)
    chengguan, hekou, jiaoyu = w["units"]
    url = f"/ballots/{w['ballot'].pk}/subjects/"
    page = client.get(url).content.decode()
    assert f'name="name_{chengguan.pk}" value="书记1"' in page and 'value="1"' in page
    bad = client.post(url, {"unit": [str(hekou.pk)], f"order_{hekou.pk}": "第一"})
    assert "“河口乡”的顺序应为 1 至 999 的整数。" in bad.content.decode()
    none = client.post(url, {})
    assert "请至少勾选一个测评对象。" in none.content.decode()
    assert w["ballot"].subjects.count() == 3
    response = client.post(
        url,
        {
            "unit": [str(jiaoyu.pk), str(chengguan.pk)],
            f"order_{jiaoyu.pk}": "1",
            f"name_{jiaoyu.pk}": "王强",
            f"title_{jiaoyu.pk}": "县教育局党组书记",
            f"order_{chengguan.pk}": "2",
            f"name_{chengguan.pk}": "张明",
        },
    )
    assert response.status_code == 302
    assert list(w["ballot"].subjects.values_list("label", "name", "title", "position")) == [
        ("县教育局", "王强", "县教育局党组书记", 0),
        ("城关镇", "张明", "", 1),
    ]
    setup.ballot_open(ballot=w["ballot"], user=w["admin"])
    frozen = client.get(url).content.decode()
    assert 'data-testid="subjects-frozen"' in frozen and "保存测评对象" not in frozen
    refused = client.post(url, {"unit": [str(hekou.pk)]})
    assert "不能修改测评对象" in refused.content.decode()
    assert w["ballot"].subjects.count() == 2


def test_the_demo_holds_a_closed_and_an_open_ballot_and_loads_once(db):
    from ballots.models import Ballot

    call_command("load_demo", force=True, verbosity=0)
    closed, open_ = Ballot.objects.order_by("campaign__year")
    assert (closed.campaign.year, closed.state, open_.campaign.year, open_.state) == (
        2020,
        "closed",
        2021,
        "open",
    )
    assert closed.cast.filter(channel="paper").count() == 3 and closed.cast.count() == 27
    assert open_.cast.count() == 18 and not open_.cast.filter(channel="paper").exists()
    call_command("load_demo", force=True, verbosity=0)
    assert Ballot.objects.count() == 2
