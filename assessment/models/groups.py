from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.changes import record
from core.routing import reverse_ints

from ..domain import levels, workflow
from .campaign import Campaign


class Method(models.TextChoices):
    """How a group assesses (考核方式), in the order the report lists them."""

    RANDOM_SAMPLING = "random_sampling", _("随机抽样")
    DOCUMENT_CHECK = "document_check", _("资料印证")
    FIELD_RESEARCH = "field_research", _("实地调研")
    INDIVIDUAL_VISIT = "individual_visit", _("个别走访")
    SYMPOSIUM = "symposium", _("座谈了解")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")
    DEMOCRATIC_APPRAISAL = "democratic_appraisal", _("民主测评")


class AssessmentGroup(models.Model):
    """An assessment group (考核组), e.g. 市委第五考核组: a leader, members, the counties it assesses."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("考核组名称"), max_length=50)
    start_date = models.DateField(_("考核开始日期"), null=True, blank=True)
    end_date = models.DateField(_("考核结束日期"), null=True, blank=True)
    methods = models.JSONField(_("考核方式"), default=list, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("考核组")
        verbose_name_plural = _("考核组")
        ordering = ["campaign", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="group_name_unique_in_campaign"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="group_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_ints("campaigns:group", self.pk)

    def method_labels(self) -> list[str]:
        return [str(m.label) for m in Method if m.value in self.methods]


class GroupMember(models.Model):
    """A person on a group: its leader (带队) or a member. One group per person per campaign."""

    class Role(models.TextChoices):
        LEADER = "leader", _("组长")
        MEMBER = "member", _("成员")

    group = models.ForeignKey(AssessmentGroup, on_delete=models.CASCADE, related_name="memberships")
    # Denormalized from the group so the database can refuse a second group in the same campaign.
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="group_memberships"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    # Set when an admin confirmed a recusal conflict (回避) and kept the person anyway.
    recusal_reason = models.TextField(_("回避例外说明"), blank=True)
    recusal_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recusal_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("考核组成员")
        verbose_name_plural = _("考核组成员")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="one_group_per_person_per_campaign"),
            models.UniqueConstraint(
                fields=["group"], condition=Q(role="leader"), name="one_leader_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.user}（{self.get_role_display()}）"


class Target(models.Model):
    """A unit assessed in a campaign by exactly one group (a county, or at the county level a
    township or county organ): the inspectors' workspace."""

    # The submission workflow (assessment.domain.workflow): the group edits in DRAFTING and
    # RETURNED only.
    Status = workflow.Status

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    group = models.ForeignKey(AssessmentGroup, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFTING)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    # 工作情况: the group's narrative of the county's highlights, after the sampling sentence.
    narrative = models.TextField(_("工作情况"), blank=True)
    narrative_version = models.PositiveIntegerField(default=1)
    narrative_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    narrative_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="target_once_per_campaign")]

    def __str__(self) -> str:
        return str(self.unit)

    def get_absolute_url(self) -> str:
        return reverse_ints("campaigns:target", self.pk)  # long tables link every row

    @property
    def is_editable(self) -> bool:
        return workflow.is_editable(self.status)

    @property
    def is_sampled(self) -> bool:
        """Whether a sample is drawn below it (a county organ is checked itself)."""
        return levels.is_sampled(self.unit.kind)

    # The audit trail of a target's own record: its 工作情况 narrative.
    def audit_snapshot(self) -> dict:
        return record(self, ("narrative",))

    def audit_label(self) -> str:
        return gettext("工作情况")
