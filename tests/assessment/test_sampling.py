"""The pure draw (assessment.domain.sampling): reproducible, order-independent, honest about shortfalls."""

import hashlib
import random

import pytest

from assessment.domain.sampling import Candidate, compute_draw, score, sentence_text, shortfall_text

PLAN = {
    "county_organs": 3,
    "county_institutions": 2,
    "townships": 2,
    "villages_per_township": 3,
    "stations_per_township": 1,
}
ZERO = dict.fromkeys(PLAN, 0)


def c(name: str, township: str | None = None) -> Candidate:
    return Candidate(name=name, key=f"{township}/{name}" if township else name)


def roster(*, small_town: bool = True) -> dict:
    towns = ["城关镇", "东岭乡", "西河镇", "南山街道"]
    villages = {t: [c(v, t) for v in ["新村", "东村", "西村", "南村"]] for t in towns}
    if small_town:
        villages["西河镇"] = villages["西河镇"][:2]
    return {
        "county_organs": [
            c(n) for n in ["县委办公室", "县政府办公室", "县委组织部", "县委宣传部", "县发展和改革局"]
        ],
        "county_institutions": [c(n) for n in ["县融媒体中心", "县档案馆"]],
        "townships": [c(t) for t in towns],
        "villages": villages,
        "stations": {t: [c(s, t) for s in ["农业综合服务中心", "文化站"]] for t in towns},
    }


def keys(draw) -> dict[str, list[str]]:
    return {str(stratum): [p.key for p in picks] for stratum, picks in draw.by_stratum().items()}


def big(n: int, prefix: str = "单位") -> list[Candidate]:
    return [c(f"{prefix}{i:03d}") for i in range(n)]


def test_a_known_draw_is_pinned():
    """Changing the algorithm changes this list: a draw announced in public must stay re-runnable."""
    draw = compute_draw(county="青山县", seed=20220110, counts=PLAN, **roster())
    assert keys(draw) == {
        "county_organ": ["县委办公室", "县发展和改革局", "县委宣传部"],
        "county_institution": ["县融媒体中心", "县档案馆"],
        "township": ["南山街道", "城关镇"],
        "village": [
            "南山街道/西村",
            "南山街道/南村",
            "南山街道/东村",
            "城关镇/东村",
            "城关镇/新村",
            "城关镇/西村",
        ],
        "township_station": ["南山街道/文化站", "城关镇/农业综合服务中心"],
    }
    assert draw.shortfalls == []
    # The same digest as: printf '%s' '20220110|青山县|township|南山街道' | sha256sum
    assert draw.townships[0].pick.score == "32dd94a0a7e4f4bb3b6c7302dca9d6c05da2a2f77121699b62609e96803c5bc4"


def test_the_score_is_the_documented_sha256():
    expected = hashlib.sha256("20220110|青山县|township|南山街道".encode()).hexdigest()
    assert score(seed=20220110, county="青山县", stratum="township", key="南山街道") == expected


def test_same_seed_same_sample():
    first = compute_draw(county="青山县", seed=7, counts=PLAN, **roster())
    again = compute_draw(county="青山县", seed=7, counts=PLAN, **roster())
    assert keys(first) == keys(again)
    assert [p.score for p in first.picks()] == [p.score for p in again.picks()]


def test_different_seeds_give_different_samples():
    counts = {**ZERO, "county_organs": 5}
    samples = {
        tuple(
            keys(compute_draw(county="青山县", seed=seed, counts=counts, county_organs=big(40)))[
                "county_organ"
            ]
        )
        for seed in range(1, 6)
    }
    assert len(samples) == 5


def test_the_county_name_is_part_of_the_draw():
    counts = {**ZERO, "county_organs": 5}
    a = compute_draw(county="青山县", seed=1, counts=counts, county_organs=big(40))
    b = compute_draw(county="绿水县", seed=1, counts=counts, county_organs=big(40))
    assert keys(a) != keys(b)


def test_input_order_does_not_matter():
    expected = keys(compute_draw(county="青山县", seed=99, counts=PLAN, **roster(small_town=False)))
    shuffler = random.Random(12345)  # only shuffles the input; the draw itself never uses random
    for _ in range(5):
        data = roster(small_town=False)
        for name in ("county_organs", "county_institutions", "townships"):
            shuffler.shuffle(data[name])
        for mapping in ("villages", "stations"):
            items = list(data[mapping].items())
            shuffler.shuffle(items)
            for _town, candidates in items:
                shuffler.shuffle(candidates)
            data[mapping] = dict(items)
        assert keys(compute_draw(county="青山县", seed=99, counts=PLAN, **data)) == expected


def test_picks_are_listed_in_draw_order():
    draw = compute_draw(county="青山县", seed=3, counts={**ZERO, "county_organs": 10}, county_organs=big(30))
    scores = [p.score for p in draw.county_organs]
    assert scores == sorted(scores)
    everyone = sorted(score(seed=3, county="青山县", stratum="county_organ", key=x.key) for x in big(30))
    assert scores == everyone[:10]


def test_a_village_key_includes_its_township():
    """Two townships may each have a 新村; they are different candidates with different scores."""
    counts = {**ZERO, "townships": 2, "villages_per_township": 1}
    draw = compute_draw(
        county="青山县",
        seed=5,
        counts=counts,
        townships=[c("城关镇"), c("东岭乡")],
        villages={"城关镇": [c("新村", "城关镇")], "东岭乡": [c("新村", "东岭乡")]},
    )
    villages = [p for t in draw.townships for p in t.villages]
    assert sorted(p.key for p in villages) == ["东岭乡/新村", "城关镇/新村"]
    assert villages[0].score != villages[1].score
    assert {p.township.name for p in villages} == {"城关镇", "东岭乡"}


def test_villages_are_drawn_only_in_sampled_townships():
    draw = compute_draw(county="青山县", seed=20220110, counts=PLAN, **roster())
    sampled = {t.pick.name for t in draw.townships}
    assert {p.key.split("/")[0] for p in draw.by_stratum()["village"]} <= sampled


def test_a_short_stratum_takes_everything_and_says_so():
    data = roster()
    counts = {**PLAN, "townships": 4, "county_institutions": 3}
    draw = compute_draw(county="青山县", seed=1, counts=counts, **data)
    assert len(draw.county_institutions) == 2
    xihe = next(t for t in draw.townships if t.pick.name == "西河镇")
    assert sorted(p.name for p in xihe.villages) == ["东村", "新村"]
    assert draw.shortfalls == [
        {"stratum": "county_institution", "township": None, "asked": 3, "available": 2},
        {"stratum": "village", "township": "西河镇", "asked": 3, "available": 2},
    ]
    assert draw.shortfall_messages() == [
        "青山县只有2个县直事业单位，已全部抽取（方案为3个）",
        "西河镇只有2个村（社区），已全部抽取（方案为3个）",
    ]


def test_an_empty_stratum_is_a_shortfall_too():
    draw = compute_draw(county="青山县", seed=1, counts={**ZERO, "county_organs": 2})
    assert draw.county_organs == []
    assert draw.shortfalls == [{"stratum": "county_organ", "township": None, "asked": 2, "available": 0}]
    assert draw.shortfall_messages() == ["青山县没有县直机关单位，未能抽取（方案为2个）"]


def test_zero_counts_draw_nothing_and_report_no_shortfall():
    draw = compute_draw(county="青山县", seed=1, counts=ZERO, **roster())
    assert draw.picks() == []
    assert draw.shortfalls == []
    assert draw.sentence() == ""
    # Zero villages asked: no shortfall even in a township without villages.
    draw = compute_draw(county="青山县", seed=1, counts={**ZERO, "townships": 1}, townships=[c("城关镇")])
    assert [t.pick.name for t in draw.townships] == ["城关镇"]
    assert draw.shortfalls == []


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        compute_draw(county="青山县", seed=1, counts={**PLAN, "townships": -1})
    with pytest.raises(ValueError):
        compute_draw(county="青山县", seed=1, counts={"townships": 1})
    with pytest.raises(ValueError):
        compute_draw(county="青山县", seed="1", counts=PLAN)
    with pytest.raises(ValueError):
        compute_draw(county="青山县", seed=1, counts=PLAN, county_organs=[c("县委办公室"), c("县委办公室")])


def test_shortfall_text_without_county():
    assert (
        shortfall_text({"stratum": "township_station", "township": "城关镇", "asked": 2, "available": 1})
        == "城关镇只有1个乡镇机关事业单位，已全部抽取（方案为2个）"
    )


# --- the work-overview sentence ----------------------------------------------------------


def test_sentence_of_the_standard_plan():
    text = sentence_text(
        county_organs=6, county_institutions=3, townships=4, villages=[3, 3, 3, 3], stations=[1, 1, 1, 1]
    )
    assert (
        text == "考核组抽查了6个县直机关单位、3个县直事业单位、4个乡镇，每个乡镇抽查3个村、1个机关事业单位。"
    )


def test_sentence_leaves_out_empty_strata():
    assert (
        sentence_text(county_organs=6, county_institutions=0, townships=4, villages=[3] * 4, stations=[0] * 4)
        == "考核组抽查了6个县直机关单位、4个乡镇，每个乡镇抽查3个村。"
    )
    assert (
        sentence_text(county_organs=6, county_institutions=3, townships=0)
        == "考核组抽查了6个县直机关单位、3个县直事业单位。"
    )
    assert (
        sentence_text(county_organs=0, county_institutions=0, townships=2, villages=[0, 0], stations=[1, 1])
        == "考核组抽查了2个乡镇，每个乡镇抽查1个机关事业单位。"
    )


def test_sentence_with_differing_per_township_counts():
    assert (
        sentence_text(
            county_organs=6, county_institutions=3, townships=3, villages=[3, 2, 3], stations=[1, 1, 1]
        )
        == "考核组抽查了6个县直机关单位、3个县直事业单位、3个乡镇，每个乡镇抽查2至3个村、1个机关事业单位。"
    )
    assert (
        sentence_text(county_organs=0, county_institutions=0, townships=2, villages=[3, 0], stations=[1, 0])
        == "考核组抽查了2个乡镇，每个乡镇抽查最多3个村、最多1个机关事业单位。"
    )


def test_sentence_with_hand_picked_units():
    assert (
        sentence_text(
            county_organs=6, county_institutions=0, townships=1, villages=[3], stations=[1], manual=2
        )
        == "考核组抽查了6个县直机关单位、1个乡镇，每个乡镇抽查3个村、1个机关事业单位，另专项抽查了2个单位。"
    )
    assert (
        sentence_text(county_organs=0, county_institutions=0, townships=0, manual=1)
        == "考核组专项抽查了1个单位。"
    )


def test_sentence_of_nothing_is_empty():
    assert sentence_text(county_organs=0, county_institutions=0, townships=0) == ""


def test_draw_sentence_uses_the_actual_counts():
    draw = compute_draw(county="青山县", seed=1, counts={**PLAN, "townships": 4}, **roster())
    assert draw.sentence() == (
        "考核组抽查了3个县直机关单位、2个县直事业单位、4个乡镇，每个乡镇抽查2至3个村、1个机关事业单位。"
    )
