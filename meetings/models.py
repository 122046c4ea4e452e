"""述职评议: a campaign's duty-report review meeting (述职评议会议), its agenda, its speakers (the
party secretaries of the assessed units, reporting orally or in writing) and the chair's 点评 of
each: achievements, the problems (each a record of its own, tied to the speaker's unit) and hopes.

States: 筹备中 → 已召开 (the 点评 locked) → 已归档. Every row is in the security audit trail
(accounts.model_audit), so who changed what before the meeting is on record.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Upload


class Meeting(models.Model):
    class State(models.TextChoices):
        PREPARING = "preparing", _("筹备中")
        HELD = "held", _("已召开")
        ARCHIVED = "archived", _("已归档")

    campaign = models.ForeignKey(
        "assessment.Campaign", verbose_name=_("考核工作"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("会议名称"), max_length=100)
    date = models.DateField(_("会议日期"), null=True, blank=True)
    venue = models.CharField(_("会议地点"), max_length=100, blank=True)
    chair_name = models.CharField(_("主持人姓名"), max_length=30, blank=True)
    chair_title = models.CharField(_("主持人职务"), max_length=60, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("主持人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("主持人用这个账号修改点评；留空则由组织部代为填写。"),
    )
    guests = models.TextField(
        _("到会指导的领导"), blank=True, help_text=_("每行一位，职务在前，例如：市委组织部组织二科科长 王明")
    )
    purpose = models.TextField(
        _("会议主要任务"), blank=True, help_text=_("主持词开头“主要任务是……”一段，留空则用通用表述。")
    )
    minutes = models.PositiveSmallIntegerField(
        _("每人述职时间（分钟）"), default=8, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    plan_deadline = models.DateField(
        _("整改方案报送时限"),
        null=True,
        blank=True,
        help_text=_("点评意见反馈单上写明的报送整改方案的截止日期。"),
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PREPARING)
    current_item = models.ForeignKey(
        "AgendaItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("当前议程"),
    )
    current_speaker = models.ForeignKey(
        "Speaker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("正在述职"),
    )
    # (PROTECT: the services let go of the current item or speaker before deleting it, with an audited save)
    speaker_started_at = models.DateTimeField(_("开始述职时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("述职评议会议")
        verbose_name_plural = _("述职评议会议")
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "title"], name="meetings_title_unique_in_campaign")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_preparing(self) -> bool:
        return self.state == self.State.PREPARING


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        REPORTS = "reports", _("述职和点评")
        COMPREHENSIVE = "comprehensive", _("综合点评")
        SUPERIOR = "superior", _("上级点评")
        BALLOT = "ballot", _("民主测评")
        OTHER = "other", _("其他")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("顺序"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("议程"), max_length=100)
    officials = models.TextField(
        _("点评人"),
        blank=True,
        help_text=_("每行一位，职务和姓名之间空一格，例如：县委常委、组织部部长 李华"),
    )
    text = models.TextField(_("点评内容"), blank=True)
    document = models.FileField(_("点评讲话稿"), upload_to="meetings/comments/%Y/", blank=True)
    document_name = models.CharField(_("讲话稿文件名"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("会议议程")
        verbose_name_plural = _("会议议程")
        ordering = ["meeting", "position"]

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    class Mode(models.TextChoices):
        ORAL = "oral", _("口头述职")
        WRITTEN = "written", _("书面述职")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers")
    position = models.PositiveSmallIntegerField(_("顺序"))
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=30)
    title = models.CharField(_("职务"), max_length=60)
    mode = models.CharField(_("述职方式"), max_length=16, choices=Mode.choices, default=Mode.ORAL)
    achievements = models.TextField(_("点评：成绩"), blank=True)
    hopes = models.TextField(_("点评：希望"), blank=True)
    report = models.FileField(_("述职报告"), upload_to="meetings/reports/%Y/", blank=True)
    report_name = models.CharField(_("述职报告文件名"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("述职人")
        verbose_name_plural = _("述职人")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="meetings_speaker_unit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title}{self.name}"

    def audit_label(self) -> str:
        return f"{self.unit.name if self.unit_id else ''} {self.name}".strip()


class CommentProblem(models.Model):
    """A problem the 点评 names: a problem of the speaker's unit in this campaign (source 述职评议点评)."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="problems")
    position = models.PositiveSmallIntegerField(_("顺序"))
    text = models.TextField(_("问题"))

    class Meta:
        verbose_name = _("点评指出的问题")
        verbose_name_plural = _("点评指出的问题")
        ordering = ["speaker", "position"]

    def __str__(self) -> str:
        return self.text[:40]


class SpeakerImport(Upload):
    """One upload of a list of speakers (述职人名单) for a meeting (see core.models.Upload)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="imports")

    class Meta(Upload.Meta):
        verbose_name = _("述职人导入记录")
        verbose_name_plural = _("述职人导入记录")
