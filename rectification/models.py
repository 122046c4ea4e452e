"""The rectification ledger (整改台账): every problem of a finalized target, and every problem a
述职评议 点评 named, becomes an entry of its unit; the unit's liaison writes the measures and the
progress with evidence and asks for closure (销号); the organization department closes it or sends
it back. Open entries are carried into next year's campaign (上年遗留); a problem found again is
marked 重复发生.

States: 未整改 → 整改中 → 申请销号 → 已销号, or 退回 (and on to 申请销号 again); 逾期 is not a state
but a fact: the deadline passed and the entry is not closed (rectification.domain.ledger).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    class Source(models.TextChoices):
        INSPECTION = "inspection", _("实地考核")
        MEETING = "meeting", _("述职评议点评")
        CARRIED = "carried", _("上年遗留")

    class State(models.TextChoices):
        OPEN = "open", _("未整改")
        IN_PROGRESS = "in_progress", _("整改中")
        REQUESTED = "requested", _("申请销号")
        CLOSED = "closed", _("已销号")
        RETURNED = "returned", _("退回")

    campaign = models.ForeignKey(
        "assessment.Campaign", verbose_name=_("考核工作"), on_delete=models.CASCADE, related_name="ledger"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    problem = models.ForeignKey(
        "assessment.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="ledger_entries"
    )
    comment_problem = models.ForeignKey(
        "meetings.CommentProblem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_entries",
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_into"
    )
    item = models.ForeignKey(
        "assessment.ChecklistItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    item_title = models.CharField(_("考核项目"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("考核年度"))
    text = models.TextField(_("问题"))
    responsible_unit = models.CharField(_("责任单位"), max_length=100, blank=True)
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    completion_note = models.TextField(_("完成情况"), blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.OPEN)
    repeat_years = models.CharField(_("重复发生（年度）"), max_length=50, blank=True)
    position = models.PositiveIntegerField(_("顺序"), default=0)
    closure_note = models.TextField(_("销号意见"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("列入台账时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("整改台账条目")
        verbose_name_plural = _("整改台账")
        ordering = ["campaign", "unit__name", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "problem"], condition=Q(problem__isnull=False), name="ledger_problem_once"
            ),
            models.UniqueConstraint(
                fields=["campaign", "comment_problem"],
                condition=Q(comment_problem__isnull=False),
                name="ledger_comment_problem_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "carried_from"],
                condition=Q(carried_from__isnull=False),
                name="ledger_carried_once",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="ledger_entry_has_text"),
        ]
        indexes = [models.Index(fields=["unit", "year"], name="ledger_unit_year")]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class Event(models.Model):
    """One step in an entry's life, with its words and (for progress) its evidence."""

    class Kind(models.TextChoices):
        MEASURES = "measures", _("整改措施")
        PROGRESS = "progress", _("整改进展")
        COMPLETION = "completion", _("完成情况")
        REQUEST = "request", _("申请销号")
        CLOSE = "close", _("认定销号")
        RETURN = "return", _("退回")
        REMIND = "remind", _("催办")
        EDIT = "edit", _("修改")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("内容"), blank=True)
    file = models.FileField(_("佐证材料"), upload_to="rectification/%Y/%m/", blank=True)
    file_name = models.CharField(_("文件名"), max_length=120, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    seen_at = models.DateTimeField(_("已读时间"), null=True, blank=True)  # a 催办 the liaison has seen

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["entry", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.entry}"


class Recurrence(models.Model):
    """A person's answer to "是否同一问题": a problem written this year beside an earlier entry of the
    same unit and item. ``same``: found again (重复发生)."""

    problem = models.ForeignKey("assessment.Problem", on_delete=models.CASCADE, related_name="recurrences")
    earlier = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="recurrences")
    same = models.BooleanField(_("是同一问题"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重复发生确认")
        verbose_name_plural = _("重复发生确认")
        constraints = [models.UniqueConstraint(fields=["problem", "earlier"], name="recurrence_once")]

    def __str__(self) -> str:
        return f"{self.problem} ~ {self.earlier}"
