"""The guide's sections (使用说明), in the order the year's work goes and the manual prints them.

A section is one template, ``templates/guide/sections/<slug>.html``, and one line here: its
title, a one-line summary for the contents, the roles it is written for, and the pages it
explains — each page's view name with the anchor (an ``id`` in the template) where that page is
described. The "?" of the navigation bar opens, for the page it is pressed on, the section that
explains that page for the reader's role there (guide.pages); the contents when none does.

Write a section only for what the product does: a feature still to come gets its section, its template and its line here, when it lands.

A section's template uses only what the Word manual can print (guide.manual): ``<h3 id>``
subheadings, ``<h4>``, ``<p>``, ``<ol>``/``<ul>`` of ``<li>``, ``<aside>`` for a note, and
``{% guide_figure "name.png" "caption" %}`` for a screenshot taken by tests/browser/test_guide_screenshots.py;
inline ``<b>`` (the words on a button or a tab), ``<a>``, ``<em>``, ``<kbd>``, ``<br>``.

The sections are documents written in Chinese, not interface strings: their prose is not marked for
translation (a guide in another language would be another set of templates); the pages around
them (titles, navigation, buttons) are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessment.permissions import Role

ADMIN, REVIEWER, LEADER, MEMBER = Role.ADMIN, Role.REVIEWER, Role.LEADER, Role.MEMBER
EVERYONE = (ADMIN, REVIEWER, LEADER, MEMBER)
ROLE_NAMES = {
    ADMIN: _("系统管理员"),
    REVIEWER: _("审核人员"),
    LEADER: _("考核组组长"),
    MEMBER: _("考核组成员"),
}

# The workspace of a county: the group fills it in, the reviewer reads it, the administrator closes it.
WORKSPACE = (
    "campaigns:target",
    "campaigns:target_item",
    "campaigns:target_overview",
    "campaigns:target_examples",
    "campaigns:target_history",
)


def _at(anchor: str, *views: str) -> dict[str, str]:
    return dict.fromkeys(views, anchor)


@dataclass(frozen=True, eq=False)
class Section:
    slug: str
    title: str | Promise
    summary: str | Promise
    roles: tuple[str, ...]
    #: view name → the anchor in the template where that page is explained ("" for the top)
    pages: dict[str, str] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"guide/sections/{self.slug}.html"

    @property
    def role_names(self) -> list[str]:
        return [str(ROLE_NAMES[role]) for role in self.roles]


SECTIONS: tuple[Section, ...] = (
    Section(
        "prepare",
        _("准备考核工作"),
        _("单位名册、人员账号、考核工作、考核项目清单、考核组和抽查方案，按这个顺序准备。"),
        (ADMIN,),
        {
            **_at("roster", "units:index", "units:detail", "units:create", "units:edit", "units:deactivate"),
            **_at("roster", "units:import", "units:import_preview"),
            **_at("people", "people:index", "people:create", "people:detail", "people:edit"),
            **_at("people", "people:deactivate", "people:reset_password", "people:import"),
            **_at("people", "people:import_preview", "people:import_passwords"),
            **_at("campaign", "campaigns:index", "campaigns:create", "campaigns:edit", "campaigns:detail"),
            **_at("checklist", "campaigns:checklist", "campaigns:checklist_import"),
            **_at("checklist", "campaigns:checklist_import_preview", "campaigns:item_create"),
            **_at("checklist", "campaigns:item_edit", "campaigns:item_delete"),
            **_at("groups", "campaigns:group_create", "campaigns:group", "campaigns:group_edit"),
            **_at("groups", "campaigns:target_move"),
            **_at("plan", "campaigns:target_plan"),
        },
    ),
    Section(
        "draw",
        _("抽签（抽查）"),
        _("在抽签会上公开随机种子，为全部考核对象抽取抽查单位，打印抽查单；专项抽查。"),
        (ADMIN, LEADER),
        {
            **_at("", "campaigns:sampling"),
            **_at("draw", "campaigns:target_draw"),
            **_at("sheet", "campaigns:target_sample", "campaigns:sample_print"),
            **_at("manual", "campaigns:sample_add"),
        },
    ),
    Section(
        "fieldwork",
        _("考核组实地考核"),
        _("检查员填写：扣分、问题、总体评价、佐证材料、工作情况、典型与建议。"),
        (LEADER, MEMBER),
        {
            **_at("", "home", "campaigns:group"),
            **_at("items", "campaigns:target", "campaigns:target_item"),
            **_at("overview", "campaigns:target_overview"),
            **_at("examples", "campaigns:target_examples"),
            **_at("history", "campaigns:target_history"),
            **_at("preview", "reports:preview"),
        },
    ),
    Section(
        "submit",
        _("组长提交"),
        _("组长核对报告预览，提交审核；被退回时按意见修改后再次提交。"),
        (LEADER,),
        {**_at("", "reports:preview", "reports:download")},
    ),
    Section(
        "review",
        _("审核"),
        _("组织部审核人员查看考核总览和各县（区）的报告，审核通过或退回修改。"),
        (REVIEWER,),
        {
            **_at("", "home", "campaigns:index", "campaigns:detail"),
            **_at("dashboard", "reports:dashboard", "reports:scores", "reports:compare"),
            **_at("dashboard", "reports:problems", "reports:common_problems", "reports:charts"),
            **_at("decide", "reports:preview", *WORKSPACE),
        },
    ),
    Section(
        "close",
        _("管理员定稿与导出"),
        _("定稿、重新打开，导出Word报告、Excel得分汇总表和全部报告的压缩包。"),
        (ADMIN,),
        {
            **_at("finalize", "reports:preview", *WORKSPACE),
            **_at("report", "reports:download"),
            **_at("summary", "reports:dashboard", "reports:scores", "reports:compare", "reports:charts"),
            **_at("summary", "reports:problems", "reports:common_problems"),
            **_at("batch", "reports:batch_detail"),
        },
    ),
    Section(
        "results",
        _("综合评定与通报"),
        _("制定考核办法，录入述职评议得分和加减分，确认各单位的综合得分和等次，起草并定稿通报。"),
        (ADMIN, REVIEWER),
        {
            **_at("", "results:index", "results:unit", "results:xlsx", "results:feedback_docx"),
            **_at("scheme", "results:scheme"),
            **_at("meeting", "results:meeting_scores"),
            **_at("confirm", "results:index"),
            **_at("bulletin", "results:bulletin", "results:bulletin_docx"),
        },
    ),
    Section(
        "meetings",
        _("述职评议会议"),
        _("筹备会议和议程，导入述职人名单，起草点评，生成主持词和点评意见反馈单，会场大屏计时。"),
        EVERYONE,
        {
            **_at("prepare", "meetings:index", "meetings:create", "meetings:detail", "meetings:edit"),
            **_at("prepare", "meetings:agenda_add", "meetings:agenda_edit", "meetings:state"),
            **_at("speakers", "meetings:speaker_add", "meetings:speaker_edit", "meetings:import"),
            **_at("speakers", "meetings:import_preview", "meetings:import_template"),
            **_at("comment", "meetings:comment"),
            **_at("documents", "meetings:script", "meetings:feedback", "meetings:feedback_all"),
            **_at("room", "meetings:room"),
        },
    ),
    Section(
        "ballots",
        _("民主测评"),
        _(
            "建立测评，打印测评条和纸质票，手机扫码投票，录入纸质票，投屏收票进度，结束后查看结果；匿名如何保证。"
        ),
        (ADMIN, REVIEWER),
        {
            **_at("setup", "ballots:index", "ballots:detail", "ballots:settings", "ballots:state"),
            **_at("setup", "ballots:subjects"),
            **_at("print", "ballots:issue", "ballots:slips", "ballots:paper_form"),
            **_at("paper", "ballots:entry", "ballots:import", "ballots:import_preview", "ballots:template"),
            **_at("paper", "ballots:import_confirm", "ballots:batch_withdraw"),
            **_at("screen", "ballots:present", "ballots:screen"),
            **_at("close", "ballots:results", "ballots:results_xlsx", "ballots:results_docx"),
        },
    ),
    Section(
        "rectification",
        _("反馈与整改台账"),
        _(
            "指定被考核单位联络员，自查材料，对问题反馈和答复异议，整改措施到销号，逾期催办，上年遗留和重复发生。"
        ),
        (ADMIN, REVIEWER),
        {
            **_at("liaisons", "liaison:manage", "rectification:workdays"),
            **_at("feedback", "liaison:target_tab"),
            **_at("ledger", "rectification:ledger", "rectification:entry"),
        },
    ),
    Section(
        "account",
        _("账号与安全"),
        _("登录、修改密码、登录锁定与解除、自动退出登录、安全审计。"),
        EVERYONE,
        {
            **_at("password", "accounts:password_change", "accounts:password_change_done"),
            **_at("lockout", "accounts:lockouts"),
            **_at("audit", "accounts:audit_log"),
        },
    ),
)

BY_SLUG = {section.slug: section for section in SECTIONS}


def number(section: Section) -> int:
    """A section's place in the guide, from 1."""
    return SECTIONS.index(section) + 1
