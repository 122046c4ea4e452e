"""Chinese numerals (core.text): the ordinals of headings and points, and their inverse; how long
something waited."""

import datetime as dt

import pytest
from django.template import Context, Template

from core.text import chinese_number, chinese_ordinal, duration_text, shi


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (15, "十五"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (23, "二十三"),
        (30, "三十"),
        (99, "九十九"),
    ],
)
def test_chinese_ordinal(n, text):
    assert chinese_ordinal(n) == text


def test_chinese_number_reads_back_every_ordinal_below_a_hundred():
    assert [chinese_number(chinese_ordinal(n)) for n in range(1, 100)] == list(range(1, 100))


def test_shi_counts_from_zero_in_code_and_templates():
    assert [shi(i) for i in (0, 1, 9, 10)] == ["一是", "二是", "十是", "十一是"]
    html = Template("{% load app_tags %}{% for x in xs %}{{ forloop.counter0|shi }} {% endfor %}").render(
        Context({"xs": range(3)})
    )
    assert html == "一是 二是 三是 "


@pytest.mark.parametrize(
    "delta, text",
    [
        (dt.timedelta(days=3, hours=5, minutes=7), "3天5小时"),
        (dt.timedelta(days=2), "2天"),
        (dt.timedelta(hours=5, minutes=20), "5小时20分钟"),
        (dt.timedelta(hours=1), "1小时"),
        (dt.timedelta(minutes=12, seconds=59), "12分钟"),
        (dt.timedelta(seconds=30), "不到1分钟"),
        (dt.timedelta(minutes=-5), "不到1分钟"),  # a clock set wrong
    ],
)
def test_duration_text(delta, text):
    assert duration_text(delta) == text
