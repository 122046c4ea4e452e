"""民主测评's part of the demo: the 2020 campaign's ballot of the counties' secretaries, closed with
its results (phone and paper ballots, 实到 entered, the quorum met); the 2021 campaign's ballot open
at the meeting, part of the room having voted, the projector's figures showing.

The marks are drawn from a fixed seed, so every load gives the same count (the codes themselves are
random, as they must be). Idempotent: a campaign that has a ballot is left as it is."""

import random

from django.contrib.auth import get_user_model
from django.db import transaction

from assessment.demo import data as campaign_data
from assessment.models import Campaign, Target
from core.demo import DemoPart

from .importing import PaperRow
from .models import Ballot, PaperBatch, Token
from .services import paper, setup, voting

TITLE = "县（市、区）委书记抓基层党建述职评议民主测评"
SEATS = (6, 14, 10)  # 应到 per category: 县级领导干部, 乡镇和县直部门主要负责人, 党代表和群众代表
# The leaning of the room per county (weights of 好, 较好, 一般, 差); others get the middle one.
LEANING = {"青山县": (6, 3, 1, 0), "绿水县": (4, 4, 2, 1), "白石区": (3, 4, 2, 1)}
MIDDLE = (4, 4, 2, 0)


def _marks(rng: random.Random, subjects, options: list[str], blank: float = 0.05) -> dict[str, str]:
    marks = {}
    for subject in subjects:
        if rng.random() < blank:
            marks[str(subject.pk)] = ""
        else:
            weights = LEANING.get(subject.unit.name, MIDDLE)
            marks[str(subject.pk)] = rng.choices(options, weights=weights[: len(options)])[0]
    return marks


def _ballot(campaign: Campaign, admin, *, seed: int, voted: float, paper_count: int, close: bool) -> Ballot:
    units = [
        t.unit for t in Target.objects.filter(campaign=campaign).select_related("unit").order_by("unit__name")
    ]
    ballot = setup.ballot_create(
        campaign=campaign,
        user=admin,
        title=TITLE,
        subjects=[(unit, unit.secretary or "", f"{unit.name}委书记") for unit in units],
    )
    meeting = campaign.meetings.first()  # the 述职评议 meeting the ballot is held at (meetings.demo)
    if meeting is not None:
        ballot.meeting = meeting
        ballot.save()
    categories = list(ballot.categories.all())
    setup.categories_set(
        ballot=ballot,
        user=admin,
        categories=[(c.name, c.weight, n) for c, n in zip(categories, SEATS, strict=True)],
    )
    categories = list(ballot.categories.all())
    setup.ballot_open(ballot=ballot, user=admin)
    setup.present_set(ballot=ballot, user=admin, present={c.pk: c.expected - 1 for c in categories})
    rng = random.Random(seed)
    subjects = list(ballot.subjects.select_related("unit"))
    options = list(ballot.options.values_list("label", flat=True))
    for category in categories:
        codes = list(Token.objects.filter(category=category).order_by("pk").values_list("code", flat=True))
        for code in codes[: round(len(codes) * voted) - (1 if paper_count else 0)]:
            voting.vote_cast(code=code, submitted=_marks(rng, subjects, options))
    if paper_count:
        rows = []
        for number in range(1, paper_count + 1):
            marks = {k: v or "弃权" for k, v in _marks(rng, subjects, options).items()}
            if number == 2:
                marks[str(subjects[0].pk)] = "无效"  # two ticks on paper
            rows.append(PaperRow(number, str(number), categories[number % len(categories)].name, marks))
        paper.paper_enter(
            ballot=ballot, user=admin, rows=rows, source=PaperBatch.Source.KEYBOARD, name="逐张录入"
        )
    if close:
        setup.ballot_close(ballot=ballot, user=admin)
    return ballot


@transaction.atomic
def load(*, reset_passwords: bool = False) -> DemoPart:
    admin = get_user_model().objects.filter(username="admin").first()
    previous = Campaign.objects.filter(title=campaign_data.PREVIOUS_TITLE).first()
    current = Campaign.objects.filter(title=campaign_data.CAMPAIGN_TITLE).first()
    done = []
    if admin and previous and not previous.ballots.exists():
        _ballot(previous, admin, seed=2020, voted=0.9, paper_count=3, close=True)
        done.append(f"{previous.year}年已结束")
    if admin and current and not current.ballots.exists():
        _ballot(current, admin, seed=2021, voted=0.6, paper_count=0, close=False)
        done.append(f"{current.year}年投票中")
    if not done:
        return DemoPart()
    return DemoPart(summary="民主测评（" + "、".join(done) + "）")
