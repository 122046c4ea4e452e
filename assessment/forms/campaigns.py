"""The campaign's form (title, year, period, reviewers) and its status."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.widgets import PersonField
from core import limits
from units.models import Unit

from ..domain import levels
from ..models import Campaign
from .fields import DATE, PeopleFormMixin, people, person_picker


class CampaignForm(PeopleFormMixin, forms.ModelForm):
    reviewers = PersonField(
        label=_("审核人员（组织部）"),
        queryset=people(),
        required=False,
        help_text=_(
            "输入姓名或单位查找，可选多人。审核人员可查看本次考核的全部内容，并审核、退回考核组提交的材料。"
        ),
    )
    issuer_unit = forms.ModelChoiceField(
        label=_("部署单位（名册）"),
        queryset=Unit.objects.filter(kind__in=levels.ISSUER_KINDS, is_active=True).order_by(
            "ancestry", "name"
        ),
        required=False,
        empty_label=_("名册中的全部县（区）"),
        help_text=_("市委考核所属各县（区）；县（区）委考核所属乡镇、县直机关和事业单位。"),
    )
    target_kinds = forms.MultipleChoiceField(
        label=_("考核对象类别"),
        choices=[(kind, Unit.Kind(kind).label) for kind in levels.TARGET_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则考核部署单位下属的全部可考核类别。已分配考核对象后不能再更改。"),
    )
    note = forms.CharField(
        label=_("说明"), max_length=limits.PARAGRAPH, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "year",
            "issuer_unit",
            "target_kinds",
            "issuer",
            "period_start",
            "period_end",
            "note",
        ]
        widgets = {"period_start": DATE, "period_end": DATE}
        labels = {"issuer": _("部署单位（文件中的称呼）")}
        help_texts = {
            "title": _("例如：2021年度党建工作年终考核"),
            "issuer": _("如“市委”“青山县委”，用于报告和文件；留空则按部署单位生成。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].required = False
        campaign = self.instance if self.instance.pk else None
        if campaign is not None:
            self.initial.setdefault("target_kinds", campaign.target_kind_list)
        elif "issuer_unit" not in self.initial:
            cities = list(self.fields["issuer_unit"].queryset.filter(parent__isnull=True)[:2])
            if len(cities) == 1:  # the usual roster: one city
                self.initial["issuer_unit"] = cities[0]
        reviewers = self.fields["reviewers"]
        if campaign is not None:
            reviewers.queryset = people(keep=campaign.reviewers.values_list("pk", flat=True))
        query = f"?campaign={campaign.pk}" if campaign is not None else ""
        person_picker(reviewers, reverse("people:search") + query)

    def _post_clean(self):  # validation is the service's
        pass


class CampaignStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Campaign.Status.choices)
