"""The assessed unit's part (被考核单位): its liaisons (联络员), the files it hands in before the
inspection (自查报告, 年度党建工作报告, 佐证材料) and its feedback on the findings once its work is
approved (反馈: 无异议, or 有异议 with a reason and files, which a reviewer answers: 维持 / 修改 /
撤销).

A liaison sees its own unit only, and the findings only once approved: never another unit,
never the inspectors' workspace while it is being filled in (liaison.permissions).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Liaison(models.Model):
    """A person of an assessed unit who answers for it in one campaign."""

    campaign = models.ForeignKey(
        "assessment.Campaign", verbose_name=_("考核工作"), on_delete=models.CASCADE, related_name="liaisons"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("被考核单位"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("联络员"),
        on_delete=models.PROTECT,
        related_name="liaison_roles",
    )
    created_at = models.DateTimeField(_("指定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("被考核单位联络员")
        verbose_name_plural = _("被考核单位联络员")
        ordering = ["campaign", "unit__name", "pk"]
        constraints = [
            # One unit per person per campaign: a liaison answers for one unit.
            models.UniqueConstraint(fields=["campaign", "user"], name="liaison_once_per_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.user}"


class Deadlines(models.Model):
    """A campaign's time limits, in working days (core.workdays): the units' feedback after their
    work is approved, and the rectification of the problems after finalization."""

    campaign = models.OneToOneField("assessment.Campaign", on_delete=models.CASCADE, related_name="deadlines")
    feedback_workdays = models.PositiveSmallIntegerField(_("反馈时限（工作日）"), default=5)
    rectification_workdays = models.PositiveSmallIntegerField(_("整改时限（工作日）"), default=30)

    class Meta:
        verbose_name = _("反馈和整改时限")
        verbose_name_plural = _("反馈和整改时限")
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback_workdays__gte=1, feedback_workdays__lte=60),
                name="feedback_workdays_sane",
            ),
            models.CheckConstraint(
                condition=Q(rectification_workdays__gte=1, rectification_workdays__lte=250),
                name="rectification_workdays_sane",
            ),
        ]

    def __str__(self) -> str:
        return str(self.campaign)


class UnitFile(models.Model):
    """A file the assessed unit hands in: before the inspection (自查报告 and others, read by the
    inspectors), or behind an objection."""

    class Purpose(models.TextChoices):
        SELF_REPORT = "self_report", _("自查报告")
        WORK_REPORT = "work_report", _("年度党建工作报告")
        SUPPORTING = "supporting", _("佐证材料")
        OBJECTION = "objection", _("异议材料")

    campaign = models.ForeignKey("assessment.Campaign", on_delete=models.CASCADE, related_name="unit_files")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("材料类别"), max_length=16, choices=Purpose.choices)
    answer = models.ForeignKey(
        "Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("文件"), upload_to="liaison/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=120)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    file_type = models.CharField(_("文件类型"), max_length=16)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("被考核单位材料")
        verbose_name_plural = _("被考核单位材料")
        ordering = ["campaign", "unit", "purpose", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="objection", answer__isnull=False)
                | (~Q(purpose="objection") & Q(answer__isnull=True)),
                name="unit_file_objection_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FeedbackRound(models.Model):
    """The unit's feedback on its approved findings: open from approval until submitted or the deadline."""

    target = models.OneToOneField("assessment.Target", on_delete=models.CASCADE, related_name="feedback")
    opened_at = models.DateTimeField(_("开始时间"))
    deadline = models.DateField(_("反馈截止日期"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("反馈")
        verbose_name_plural = _("反馈")

    def __str__(self) -> str:
        return str(self.target)


class Answer(models.Model):
    """The unit's answer to one problem (实地考核 or 述职评议点评), and the reviewer's ruling on an objection."""

    class Ruling(models.TextChoices):
        KEEP = "keep", _("维持")
        MODIFY = "modify", _("修改")
        WITHDRAW = "withdraw", _("撤销")

    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="answers")
    problem = models.OneToOneField(
        "assessment.Problem", null=True, blank=True, on_delete=models.CASCADE, related_name="answer"
    )
    comment_problem = models.OneToOneField(
        "meetings.CommentProblem", null=True, blank=True, on_delete=models.CASCADE, related_name="answer"
    )
    agrees = models.BooleanField(_("无异议"))
    reason = models.TextField(_("异议理由"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("反馈时间"))
    ruling = models.CharField(_("答复"), max_length=16, choices=Ruling.choices, blank=True)
    ruling_reason = models.TextField(_("答复理由"), blank=True)
    revised_text = models.TextField(_("修改后的问题"), blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ruled_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("问题反馈")
        verbose_name_plural = _("问题反馈")
        ordering = ["round", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(problem__isnull=False, comment_problem__isnull=True)
                | Q(problem__isnull=True, comment_problem__isnull=False),
                name="answer_to_one_problem",
            ),
            models.CheckConstraint(condition=Q(agrees=True) | ~Q(reason=""), name="objection_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {'无异议' if self.agrees else '有异议'}"

    @property
    def is_objection(self) -> bool:
        return not self.agrees
