"""Texts the benchmarks fill their worlds with: findings as inspectors write them."""

from __future__ import annotations

import random

PHRASES = (
    "未按要求召开专题会议研究党建工作",
    "“三会一课”记录不全，部分支部缺少党课记录",
    "党员发展程序不规范，培养考察材料缺失",
    "组织生活会会前谈心谈话不到位",
    "党费收缴台账与实际不符",
    "主题党日活动形式单一，缺乏实效",
    "基层党组织书记述职评议未全覆盖",
    "软弱涣散党组织整顿措施落实不到位",
    "意识形态工作责任制落实不够有力",
    "党建工作与业务工作结合不紧密",
    "村级后备力量培养储备不足",
    "党务公开内容更新不及时",
)
CATEGORIES = ("组织建设", "思想建设", "作风建设", "制度建设", "党员管理", "阵地建设")


def sentence(rng: random.Random, parts: int) -> str:
    """``parts`` different phrases joined into one sentence."""
    return "；".join(rng.sample(PHRASES, parts)) + "。"
