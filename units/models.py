from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Upload


class UnitKind(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县（区）")
    COUNTY_ORGAN = "county_organ", _("县直机关单位")
    COUNTY_INSTITUTION = "county_institution", _("县直事业单位")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")
    TOWNSHIP_STATION = "township_station", _("乡镇机关事业单位")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    ENTERPRISE = "enterprise", _("非公企业")
    SOCIAL_ORGANIZATION = "social_organization", _("社会组织")


class OrgType(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    WORKING_COMMITTEE = "working_committee", _("党工委")
    LEADING_GROUP = "leading_group", _("党组")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    ORGAN_COMMITTEE = "organ_committee", _("机关党委")
    ORGAN_BRANCH = "organ_branch", _("机关党支部")


class Unit(models.Model):
    """A unit of the roster (单位名册): a node of the city → county → township → village tree.

    ``ancestry`` is a materialized path of the ancestors' ids ("/1/5/" for a
    unit whose parent is 5 under root 1; "/" for a root). It lets a page fetch a
    whole subtree in one query, whatever its depth. Services keep it in step
    with ``parent``; it never includes the unit's own id, so it can be computed
    before the row is inserted.
    """

    Kind = UnitKind
    OrgType = OrgType

    name = models.CharField(_("单位名称"), max_length=100)
    kind = models.CharField(_("单位类别"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    ancestry = models.CharField(max_length=255, default="/", db_index=True, editable=False)
    org_type = models.CharField(_("党组织类型"), max_length=32, choices=OrgType.choices, blank=True)
    secretary = models.CharField(_("党组织书记"), max_length=50, blank=True)
    contact = models.CharField(_("联系电话"), max_length=50, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            # Two townships may both have a 新村: names are unique under their parent only.
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_under_parent"),
            # NULL parents never collide in a unique index, so roots need their own rule.
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="unit_root_name_unique"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="unit_name_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=UnitKind.values), name="unit_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("units:detail", args=[self.pk])

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.ancestry.strip("/").split("/") if part]

    @property
    def descendant_prefix(self) -> str:
        """The ``ancestry`` prefix shared by every descendant of this unit."""
        return f"{self.ancestry}{self.pk}/"

    @property
    def depth(self) -> int:
        return len(self.ancestor_ids)


class RosterImport(Upload):
    """One upload of a roster workbook (see core.models.Upload)."""

    class Meta(Upload.Meta):
        verbose_name = _("名册导入记录")
        verbose_name_plural = _("名册导入记录")
