"""民主测评: a ballot of a campaign's meeting, its subjects, options and voter categories, the
one-use codes handed out as QR slips, and the ballots received (on phones and on paper).

Anonymity is built into the tables (README "民主测评: what the database can tell"):

- ``CastBallot`` (a received ballot) has a random primary key and is read in that key's order; it
  holds the category, the marks, and for a paper ballot its 序号 and batch — no code, no session,
  no address, no user agent, no time;
- ``Token`` (a code) records only that it was used, not when, nor which ballot it became;
- neither is written to the security audit trail (accounts.model_audit NOT_AUDITED): an entry for
  each would carry the moment and the request, which would pair a spent code with its ballot.
  What the trail records instead is coarse: codes issued (``TokenIssue``), paper batches entered and
  withdrawn (``PaperBatch``), and the ballot's own changes.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Upload

from .domain import tokens


class Ballot(models.Model):
    """One 民主测评 of a campaign (a meeting may hold one, or one per group of subjects)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("准备中")
        OPEN = "open", _("投票中")
        CLOSED = "closed", _("已结束")

    campaign = models.ForeignKey(
        "assessment.Campaign", verbose_name=_("考核工作"), on_delete=models.PROTECT, related_name="ballots"
    )
    title = models.CharField(_("名称"), max_length=100, default="民主测评")
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("述职评议会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballots",
        help_text=_("在这次会议上进行的民主测评；测评对象是会议的述职人。"),
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    quorum_numerator = models.PositiveSmallIntegerField(_("有效票下限（分子）"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(
        _("有效票下限（分母）"), default=3, validators=[MinValueValidator(1)]
    )
    address = models.CharField(
        _("会场访问地址"),
        max_length=200,
        blank=True,
        help_text=_("手机扫码打开的地址，例如 http://192.168.1.10:8000（会场内网）。留空则用当前网址。"),
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("民主测评")
        verbose_name_plural = _("民主测评")
        ordering = ["campaign", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="ballots_quorum_at_most_all",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"{self.campaign}·{self.title}" if self.campaign_id else self.title


class Option(models.Model):
    """A choice on the ballot (好 / 较好 / 一般 / 差 by default) and its score."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("顺序"))
    label = models.CharField(_("选项"), max_length=10)
    score = models.DecimalField(
        _("分值"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    good = models.BooleanField(_("计入好评率"), default=False)

    class Meta:
        verbose_name = _("测评选项")
        verbose_name_plural = _("测评选项")
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "label"], name="ballots_option_label_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Category(models.Model):
    """A voter category (测评人类别) with its weight, 应到 and 实到."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="categories")
    position = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("测评人类别"), max_length=30)
    weight = models.DecimalField(
        _("权重"), max_digits=5, decimal_places=4, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    expected = models.PositiveIntegerField(_("应到人数"), default=0)
    present = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)

    class Meta:
        verbose_name = _("测评人类别")
        verbose_name_plural = _("测评人类别")
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "name"], name="ballots_category_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    """A person rated (测评对象): a party secretary, by unit."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="subjects")
    position = models.PositiveSmallIntegerField(_("顺序"))
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("单位名称"), max_length=100, help_text=_("测评票和导入表头上的名称"))
    name = models.CharField(_("姓名"), max_length=30, blank=True)
    title = models.CharField(_("职务"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("测评对象")
        verbose_name_plural = _("测评对象")
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "unit"], name="ballots_subject_unit_unique"),
            models.UniqueConstraint(fields=["ballot", "label"], name="ballots_subject_label_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class Token(models.Model):
    """A one-use code (测评码) of a category. It records only that it was used."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="tokens")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="tokens")
    code = models.CharField(_("测评码"), max_length=tokens.LENGTH, unique=True, default=tokens.new_code)
    used = models.BooleanField(_("已使用"), default=False)

    class Meta:
        verbose_name = _("测评码")
        verbose_name_plural = _("测评码")
        ordering = ["category", "pk"]

    def __str__(self) -> str:
        return tokens.display(self.code)


class TokenIssue(models.Model):
    """Codes issued for a category: the record the audit trail keeps instead of each code."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="token_issues")
    category = models.ForeignKey(
        Category, verbose_name=_("测评人类别"), on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField(_("数量"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    issued_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("测评码生成记录")
        verbose_name_plural = _("测评码生成记录")
        ordering = ["ballot", "pk"]

    def __str__(self) -> str:
        return f"{self.category}·{self.count}"

    def audit_label(self) -> str:
        return str(self)


class PaperBatch(models.Model):
    """Paper ballots entered together (typed on the entry page, or one Excel file); withdrawn as
    one before the count closes (its ballots deleted, the record kept)."""

    class Source(models.TextChoices):
        KEYBOARD = "keyboard", _("逐张录入")
        EXCEL = "excel", _("Excel 导入")

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="batches")
    source = models.CharField(_("录入方式"), max_length=16, choices=Source.choices)
    name = models.CharField(_("说明"), max_length=255, blank=True)
    count = models.PositiveIntegerField(_("票数"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    withdrawn = models.BooleanField(_("已撤回"), default=False)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("纸质票批次")
        verbose_name_plural = _("纸质票批次")
        ordering = ["ballot", "pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()}·{self.name}·{self.count}张"

    def audit_label(self) -> str:
        return str(self)


def random_key() -> str:
    return secrets.token_hex(16)


class CastBallot(models.Model):
    """A received ballot. Its key is random and it is read in the key's order: nothing in it tells
    when it came, from which code, or from whom (see the module docstring)."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("手机")
        PAPER = "paper", _("纸质")

    id = models.CharField(primary_key=True, max_length=32, default=random_key, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="cast")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cast")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    marks = models.JSONField(default=dict)  # subject pk (as text) → option label, 弃权 or 无效
    serial = models.CharField(_("序号"), max_length=20, blank=True)  # paper only
    batch = models.ForeignKey(
        PaperBatch, on_delete=models.CASCADE, related_name="ballots", null=True, blank=True
    )

    class Meta:
        verbose_name = _("测评票")
        verbose_name_plural = _("测评票")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "serial"],
                condition=~models.Q(serial=""),
                name="ballots_paper_serial_unique",
            ),
            models.CheckConstraint(
                condition=(models.Q(channel="phone", serial="", batch__isnull=True))
                | (models.Q(channel="paper", batch__isnull=False) & ~models.Q(serial="")),
                name="ballots_cast_channel_fields",
            ),
        ]

    def __str__(self) -> str:
        return self.serial or self.get_channel_display()


class StateChange(models.Model):
    """Opening, closing and reopening (with its reason): shown on the ballot's page."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="state_changes")
    state = models.CharField(_("状态"), max_length=16, choices=Ballot.State.choices)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("测评状态变更")
        verbose_name_plural = _("测评状态变更")
        ordering = ["ballot", "pk"]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.reason}".strip()


class BallotImport(Upload):
    """An uploaded Excel of typed paper ballots, kept for preview → confirm."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="imports")
    batch = models.OneToOneField(
        PaperBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(Upload.Meta):
        verbose_name = _("纸质票导入记录")
        verbose_name_plural = _("纸质票导入记录")


DEFAULT_CATEGORIES = (
    ("县级领导干部", Decimal("0.3")),
    ("乡镇和县直部门主要负责人", Decimal("0.4")),
    ("党代表和群众代表", Decimal("0.3")),
)
