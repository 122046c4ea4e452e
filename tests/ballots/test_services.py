"""Preparing, voting once and only once, paper batches, closing, and what the tables keep."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts.models import AuditLog
from ballots.domain import tokens
from ballots.domain.counting import ABSTAIN, INVALID
from ballots.importing import PaperRow
from ballots.models import Ballot, CastBallot, PaperBatch, StateChange, Token, TokenIssue
from ballots.selectors.results import ballot_results, received_by_category, results_json
from ballots.services import paper, setup
from ballots.services.voting import VoteRefused, vote_cast


def _marks(world, *labels):
    return {str(s.pk): label for s, label in zip(world["subjects"], labels, strict=True)}


def test_opening_checks_weights_and_issues_codes_up_to_expected(ballot_world):
    w = ballot_world
    first = w["categories"][0]
    first.weight = Decimal("0.5")
    first.save()
    with pytest.raises(ValidationError, match="权重之和应为 1，现在是 1.2"):
        setup.ballot_open(ballot=w["ballot"], user=w["admin"])
    first.weight = Decimal("0.3")
    first.save()
    setup.ballot_open(ballot=w["ballot"], user=w["admin"])
    counts = [c.tokens.count() for c in w["categories"]]
    assert counts == [3, 2, 2]
    assert TokenIssue.objects.count() == 3
    with pytest.raises(ValidationError, match="投票中，不能修改选项"):
        setup.options_set(ballot=w["ballot"], user=w["admin"], options=[("好", 100, True), ("差", 0, False)])
    code = Token.objects.first().code
    assert len(code) == tokens.LENGTH and set(code) <= set(tokens.ALPHABET)


def test_a_code_votes_once_and_only_once(open_ballot):
    w = open_ballot
    token = Token.objects.filter(category=w["categories"][0]).first()
    vote_cast(code=tokens.display(token.code).lower(), submitted=_marks(w, "好", "", "差"))
    assert CastBallot.objects.count() == 1
    for replay in (token.code, tokens.display(token.code)):
        with pytest.raises(VoteRefused) as refused:
            vote_cast(code=replay, submitted=_marks(w, "差", "差", "差"))
        assert str(refused.value) == "此测评码已使用，每个测评码只能提交一次。"
    assert CastBallot.objects.count() == 1
    stored = CastBallot.objects.get()
    assert stored.marks == _marks(w, "好", ABSTAIN, "差")
    assert stored.category == w["categories"][0]
    with pytest.raises(VoteRefused, match="没有这个测评码"):
        vote_cast(code="ABCD-EFGH-JKLMN", submitted={})
    with pytest.raises(VoteRefused, match="内容不完整或有误"):
        vote_cast(code=Token.objects.filter(used=False).first().code, submitted=_marks(w, "好", "很好", ""))


def test_closed_and_not_yet_open_codes_get_their_own_message(ballot_world):
    w = ballot_world
    setup.tokens_issue(ballot=w["ballot"], category=w["categories"][0], count=2, user=w["admin"])
    early = Token.objects.first()
    with pytest.raises(VoteRefused, match="尚未开始"):
        vote_cast(code=early.code, submitted={})
    setup.ballot_open(ballot=w["ballot"], user=w["admin"])
    setup.ballot_close(ballot=w["ballot"], user=w["admin"])
    with pytest.raises(VoteRefused, match="已经结束"):
        vote_cast(code=early.code, submitted={})
    assert not Token.objects.filter(used=True).exists()
    assert CastBallot.objects.count() == 0


def test_closing_freezes_and_reopening_needs_a_reason(open_ballot):
    w = open_ballot
    ballot = setup.ballot_close(ballot=w["ballot"], user=w["admin"])
    assert ballot.state == Ballot.State.CLOSED and ballot.closed_at.second == 0
    with pytest.raises(ValidationError, match="已结束，不能录入"):
        paper.paper_enter(
            ballot=ballot,
            user=w["admin"],
            rows=[PaperRow(1, "1", w["categories"][0].name, _marks(w, "好", "好", "好"))],
            source=PaperBatch.Source.KEYBOARD,
        )
    with pytest.raises(ValidationError, match="须说明原因"):
        setup.ballot_reopen(ballot=ballot, user=w["admin"], reason="  ")
    setup.ballot_reopen(ballot=ballot, user=w["admin"], reason="漏录一批纸质票")
    assert list(StateChange.objects.values_list("state", "reason")) == [
        ("open", ""),
        ("closed", ""),
        ("open", "漏录一批纸质票"),
    ]


def test_paper_batches_count_with_phones_and_can_be_withdrawn(open_ballot):
    w = open_ballot
    leaders, heads, reps = (c.name for c in w["categories"])
    for token, labels in zip(
        Token.objects.filter(category=w["categories"][0])[:2],
        [("好", "好", "较好"), ("较好", "一般", "")],
        strict=True,
    ):
        vote_cast(code=token.code, submitted=_marks(w, *labels))
    batch = paper.paper_enter(
        ballot=w["ballot"],
        user=w["admin"],
        rows=[
            PaperRow(3, "1", heads, _marks(w, "好", INVALID, "差")),
            PaperRow(4, "2", reps, _marks(w, ABSTAIN, ABSTAIN, ABSTAIN)),
        ],
        source=PaperBatch.Source.EXCEL,
        name="纸质票.xlsx",
    )
    with pytest.raises(ValidationError, match="序号 2 已经录入过"):
        paper.paper_enter(
            ballot=w["ballot"],
            user=w["admin"],
            rows=[PaperRow(1, "2", reps, _marks(w, "好", "好", "好"))],
            source=PaperBatch.Source.KEYBOARD,
        )
    for category in w["categories"]:
        category.present = {leaders: 3, heads: 2, reps: 1}[category.name]
        category.save()
    results = ballot_results(w["ballot"])
    data = results_json(results)
    assert data["ballots"] == {"received": 4, "valid": 3, "void": 1}
    assert data["quorum_met"] is False  # present 6 → 4 valid needed
    town = data["subjects"][0]
    assert town["unit"] == "城关镇"
    assert town["counts"][leaders] == {"好": 1, "较好": 1, "一般": 0, "差": 0, "弃权": 0, "无效": 0}
    assert town["counts"][heads]["好"] == 1 and town["counts"][reps]["弃权"] == 1
    # 城关镇: leaders (100 + 80) / 2 = 90 × 0.3, heads 100 × 0.4 → 67 / 0.7 = 95.714… → 95.71
    assert (town["valid"], town["good_rate"], town["score"]) == (3, "100.00", "95.71")
    # 县教育局: leaders 较好 80 (the other left blank), heads 差 40 → (24 + 16) / 0.7 = 57.142… → 57.14
    assert data["subjects"][2]["score"] == "57.14"
    assert [r["received"] for r in received_by_category(w["ballot"])] == [2, 1, 1]

    paper.batch_withdraw(batch=batch, user=w["admin"], reason="录错了类别")
    assert CastBallot.objects.filter(channel="paper").count() == 0
    assert PaperBatch.objects.get().withdrawn
    assert results_json(ballot_results(w["ballot"]))["ballots"] == {"received": 2, "valid": 2, "void": 0}


def test_the_tables_hold_nothing_that_pairs_a_code_with_its_ballot(open_ballot, client):
    w = open_ballot
    token = Token.objects.first()
    before = AuditLog.objects.count()
    response = client.post(
        "/v/",
        {
            "code": token.code,
            "step": "submit",
            **{f"s{k}": v for k, v in _marks(w, "好", "一般", "差").items()},
        },
    )
    assert response.status_code == 200, response.content.decode()
    cast = CastBallot.objects.get()
    # the ballot: a random key, the category and the marks; nothing of the voter or the moment
    columns = {f.column for f in CastBallot._meta.concrete_fields}
    assert columns == {"id", "ballot_id", "category_id", "channel", "marks", "serial", "batch_id"}
    assert len(cast.id) == 32 and token.code not in str(cast.marks)
    # the code: only that it was used
    assert {f.column for f in Token._meta.concrete_fields} == {
        "id",
        "ballot_id",
        "category_id",
        "code",
        "used",
    }
    assert Token.objects.get(pk=token.pk).used
    # the security audit trail has no entry for either, and no session was made for the voter
    assert AuditLog.objects.count() == before
    assert "sessionid" not in response.cookies
    # received ballots are read in their random key's order, not in the order they came
    assert CastBallot._meta.ordering == ["id"]


@pytest.mark.django_db(transaction=True)
def test_the_same_code_sent_twice_at_once_makes_one_ballot(tmp_path):
    from tests.concurrency import file_database, query_file
    from tests.factories import AdminFactory, CampaignFactory, city, county, township

    qs = county(city(), "青山县")
    admin = AdminFactory(username="race_admin")
    ballot = setup.ballot_create(
        campaign=CampaignFactory(), user=admin, subjects=[(township(qs, "城关镇"), "甲", "书记")]
    )
    category = ballot.categories.first()
    category.expected = 1
    category.save()
    for other in ballot.categories.exclude(pk=category.pk):
        other.weight, other.expected = 0, 0
        other.save()
    category.weight = 1
    category.save()
    setup.ballot_open(ballot=ballot, user=admin)
    code = Token.objects.get().code
    subject = str(ballot.subjects.get().pk)
    outcomes: list = [None] * 6
    barrier = threading.Barrier(6)

    def vote(index):
        try:
            barrier.wait(timeout=30)
            vote_cast(code=code, submitted={subject: "好"})
            outcomes[index] = "ok"
        except VoteRefused as exc:
            outcomes[index] = exc.reason
        except Exception as exc:
            outcomes[index] = repr(exc)
        finally:
            connections.close_all()

    with file_database(tmp_path) as path:
        threads = [threading.Thread(target=vote, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        rows = query_file(path, "SELECT count(*) FROM ballots_castballot")
    assert sorted(outcomes) == ["ok"] + ["used"] * 5, outcomes
    assert rows == [(1,)]
    assert connection.vendor in ("sqlite", "postgresql")
