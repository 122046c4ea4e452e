"""综合评定: a campaign's assessment scheme (考核办法) and what is recorded against it per unit.

The arithmetic is results.domain.rules; these rows are its inputs. The units are the
campaign's targets (考核对象).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.changes import record

from .domain.rules import AdjustmentKind, VetoEffect

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Scheme(models.Model):
    """考核办法: the components' weights, the quota on the top grade, and whether the results
    are confirmed (locked)."""

    class MeetingSource(models.TextChoices):
        ENTERED = "entered", _("审核人员录入的述职评议得分")
        BALLOT = "ballot", _("述职评议会议的民主测评得分")

    campaign = models.OneToOneField(
        "assessment.Campaign", verbose_name=_("考核工作"), on_delete=models.CASCADE, related_name="scheme"
    )
    weight_field = models.DecimalField(
        _("实地考核权重（%）"), max_digits=5, decimal_places=2, default=Decimal(60), validators=PERCENT
    )
    weight_meeting = models.DecimalField(
        _("述职评议权重（%）"), max_digits=5, decimal_places=2, default=Decimal(20), validators=PERCENT
    )
    weight_ballot = models.DecimalField(
        _("民主测评权重（%）"), max_digits=5, decimal_places=2, default=Decimal(20), validators=PERCENT
    )
    meeting_source = models.CharField(
        _("述职评议得分来源"), max_length=16, choices=MeetingSource.choices, default=MeetingSource.ENTERED
    )
    quota = models.DecimalField(
        _("最高等次名额比例（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
        help_text=_("例如30表示不超过30%，按考核对象总数计算，向下取整；留空表示不限。"),
    )
    name_units = models.BooleanField(
        _("通报中点名存在问题的单位"),
        default=True,
        help_text=_("不勾选时，通报的“比如”只写“有的单位”，不写单位名称。"),
    )
    rectification_days = models.PositiveSmallIntegerField(
        _("整改方案报送时限（天）"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("考核结果反馈中，整改方案须在反馈之日起多少天内报送。"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("考核办法")
        verbose_name_plural = _("考核办法")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_field__gte=0) & Q(weight_meeting__gte=0) & Q(weight_ballot__gte=0),
                name="scheme_weights_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(campaign)s的考核办法") % {"campaign": self.campaign}

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def audit_snapshot(self) -> dict:
        return record(
            self,
            [
                "weight_field",
                "weight_meeting",
                "weight_ballot",
                "meeting_source",
                "quota",
                "name_units",
                "confirmed_at",
            ],
        )

    def audit_label(self) -> str:
        return gettext("考核办法")


class Band(models.Model):
    """A grade band (等次): its label and the lowest final score that reaches it."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(_("等次"), max_length=10)
    minimum = models.DecimalField(_("最低分"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("等次")
        verbose_name_plural = _("等次")
        ordering = ["scheme", "position", "-minimum"]
        constraints = [models.UniqueConstraint(fields=["scheme", "label"], name="band_label_once")]

    def __str__(self) -> str:
        return self.label

    def audit_snapshot(self) -> dict:
        return record(self, ["label", "minimum", "position"])

    def audit_label(self) -> str:
        return gettext("等次“%(label)s”") % {"label": self.label}


class Item(models.Model):
    """A 加分项, 减分项 or 一票否决 item of the scheme."""

    class Kind(models.TextChoices):
        BONUS = AdjustmentKind.BONUS.value, AdjustmentKind.BONUS.label
        PENALTY = AdjustmentKind.PENALTY.value, AdjustmentKind.PENALTY.label
        VETO = "veto", _("一票否决")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("名称"), max_length=100)
    points = models.DecimalField(_("每次分值"), max_digits=5, decimal_places=2, null=True, blank=True)
    cap = models.DecimalField(_("上限"), max_digits=5, decimal_places=2, null=True, blank=True)
    veto_effect = models.CharField(_("否决后果"), max_length=10, choices=VetoEffect.choices, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("加减分及否决项")
        verbose_name_plural = _("加减分及否决项")
        ordering = ["scheme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "label"], name="scheme_item_label_once"),
            models.CheckConstraint(
                condition=(Q(kind="veto") & ~Q(veto_effect="")) | (~Q(kind="veto") & Q(points__gt=0)),
                name="scheme_item_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_veto(self) -> bool:
        return self.kind == self.Kind.VETO

    def audit_snapshot(self) -> dict:
        return record(self, ["kind", "label", "points", "cap", "veto_effect"])

    def audit_label(self) -> str:
        return gettext("%(kind)s“%(label)s”") % {"kind": self.get_kind_display(), "label": self.label}


class Award(models.Model):
    """One application of an item to a unit: points under a bonus or penalty item, or a veto,
    always with its reason (and evidence when there is a file)."""

    campaign = models.ForeignKey("assessment.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(Item, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="awards")
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("事由"))
    evidence = models.FileField(_("佐证材料"), upload_to="results/evidence/%Y/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("加减分及否决记录")
        verbose_name_plural = _("加减分及否决记录")
        ordering = ["campaign", "unit", "item__position", "pk"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.item}"

    def audit_snapshot(self) -> dict:
        return record(self, ["unit", "item", "points", "reason", "evidence"])

    def audit_label(self) -> str:
        return gettext("%(unit)s的“%(item)s”") % {"unit": self.unit, "item": self.item}


class MeetingScore(models.Model):
    """The 述职评议 score the reviewers give a unit's secretary (out of 100)."""

    campaign = models.ForeignKey("assessment.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("述职评议得分"), max_digits=5, decimal_places=2, validators=PERCENT)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("述职评议得分")
        verbose_name_plural = _("述职评议得分")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="meeting_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="meeting_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.score}"

    def audit_snapshot(self) -> dict:
        return record(self, ["unit", "score"])

    def audit_label(self) -> str:
        return gettext("%(unit)s的述职评议得分") % {"unit": self.unit}


class ManualGrade(models.Model):
    """A grade set by hand (人工调整), with its reason."""

    campaign = models.ForeignKey("assessment.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(_("调整后等次"), max_length=10)
    reason = models.TextField(_("调整理由"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("调整时间"), auto_now=True)

    class Meta:
        verbose_name = _("人工调整等次")
        verbose_name_plural = _("人工调整等次")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="manual_grade_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.grade}"

    def audit_snapshot(self) -> dict:
        return record(self, ["unit", "grade", "reason"])

    def audit_label(self) -> str:
        return gettext("%(unit)s的人工调整等次") % {"unit": self.unit}


class ResultEvent(models.Model):
    """Confirming the results (locks them) and reopening them (with a reason)."""

    class Action(models.TextChoices):
        CONFIRM = "confirm", _("确认结果")
        REOPEN = "reopen", _("重新打开")

    campaign = models.ForeignKey("assessment.Campaign", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("理由"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结果确认记录")
        verbose_name_plural = _("结果确认记录")
        ordering = ["campaign", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class Bulletin(models.Model):
    """The campaign's 通报: drafted from the data (results.bulletin), edited by an administrator,
    then fixed (定稿). The body is plain lines (一、 and （一） lines are headings)."""

    campaign = models.OneToOneField(
        "assessment.Campaign", verbose_name=_("考核工作"), on_delete=models.CASCADE, related_name="bulletin"
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    signature = models.CharField(_("落款"), max_length=50)
    date = models.DateField(_("成文日期"))
    fixed_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")

    def __str__(self) -> str:
        return self.title

    def audit_snapshot(self) -> dict:
        return record(self, ["title", "body", "signature", "date", "fixed_at"])

    def audit_label(self) -> str:
        return gettext("通报")
