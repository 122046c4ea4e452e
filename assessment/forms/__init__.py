"""Forms parse input; the rules live in assessment.services."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.widgets import OnePersonField, PersonField
from core import limits
from units.models import Unit

from ..models import AssessmentGroup, Campaign, Method, SamplingPlan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people(*, keep=()):
    """Who may be picked: active accounts, and those already chosen (``keep``, ids) even if deactivated
    since, so that saving a form does not drop them silently."""
    return (
        get_user_model()
        .objects.filter(Q(is_active=True) | Q(pk__in=list(keep)))
        .select_related("home_unit")
        .order_by("username")
    )


def _picker(field, search_url: str) -> None:
    field.widget.search_url = search_url
    field.widget.create_url = reverse("people:create")


class CampaignForm(forms.ModelForm):
    reviewers = PersonField(
        label=_("审核人员（组织部）"),
        queryset=people(),
        required=False,
        help_text=_(
            "输入姓名或单位查找，可选多人。审核人员可查看本次考核的全部内容，并审核、退回考核组提交的材料。"
        ),
    )
    note = forms.CharField(
        label=_("说明"), max_length=limits.PARAGRAPH, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Campaign
        fields = ["title", "year", "issuer", "period_start", "period_end", "note"]
        widgets = {"period_start": DATE, "period_end": DATE}
        help_texts = {"title": _("例如：2021年度党建工作年终考核")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = self.instance if self.instance.pk else None
        reviewers = self.fields["reviewers"]
        if campaign is not None:
            reviewers.queryset = people(keep=campaign.reviewers.values_list("pk", flat=True))
        query = f"?campaign={campaign.pk}" if campaign is not None else ""
        _picker(reviewers, reverse("people:search") + query)

    def _post_clean(self):  # validation is the service's
        pass


class CampaignStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Campaign.Status.choices)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("考核组名称"), max_length=50, help_text=_("例如：市委第五考核组"))
    leader = OnePersonField(
        label=_("组长（带队）"), queryset=people(), error_messages={"required": _("请指定考核组组长。")}
    )
    members = PersonField(
        label=_("成员"), queryset=people(), required=False, help_text=_("输入姓名或单位查找，可选多人。")
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("考核对象（县、区）"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), required=False, widget=DATE)
    methods = forms.MultipleChoiceField(
        label=_("考核方式"),
        choices=Method.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一种考核方式。")},
        help_text=_("报告的“考核方式”一句按所选列出，至少选择一种。"),
    )
    note = forms.CharField(
        label=_("备注"), max_length=limits.PARAGRAPH, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recusal_reason = forms.CharField(
        max_length=limits.PARAGRAPH,
        label=_("回避例外说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("有成员的所在单位位于考核对象内时，须说明仍由其参加的理由，系统将记录确认人和时间。"),
    )

    def __init__(self, *args, campaign, group=None, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = counties
        query = f"?campaign={campaign.pk}" + (f"&group={group.pk}" if group is not None and group.pk else "")
        for name in ("leader", "members"):
            field = self.fields[name]
            if group is not None and group.pk:
                field.queryset = people(keep=group.memberships.values_list("user_id", flat=True))
            _picker(field, reverse("people:search") + query)

    @classmethod
    def initial_for(cls, group: AssessmentGroup) -> dict:
        memberships = list(group.memberships.select_related("user"))
        return {
            "name": group.name,
            "leader": next((m.user for m in memberships if m.role == "leader"), None),
            "members": [m.user for m in memberships if m.role != "leader"],
            "targets": [t.unit for t in group.targets.select_related("unit")],
            "start_date": group.start_date,
            "end_date": group.end_date,
            "methods": group.methods,
            "note": group.note,
        }


class TargetMoveForm(forms.Form):
    """移交: another group of the campaign, and why."""

    group = forms.ModelChoiceField(
        label=_("移交给"), queryset=AssessmentGroup.objects.none(), empty_label=_("请选择考核组")
    )
    reason = forms.CharField(
        label=_("移交原因"),
        max_length=limits.PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("将记入该考核对象的修改记录。"),
        error_messages={"required": _("请说明移交的原因。")},
    )
    recusal_reason = forms.CharField(
        label=_("回避例外说明"),
        max_length=limits.PARAGRAPH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("接收考核组有成员的所在单位位于该考核对象内时，须说明仍由其参加的理由。"),
    )

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = AssessmentGroup.objects.filter(
            campaign_id=target.campaign_id
        ).exclude(pk=target.group_id)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("考核项目"), max_length=200)
    full_score = forms.DecimalField(label=_("分值"), max_digits=6, decimal_places=2, min_value=0)
    lead_department = forms.CharField(label=_("牵头单位"), max_length=100, required=False)
    note = forms.CharField(
        label=_("备注"), max_length=limits.PARAGRAPH, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        max_length=limits.PARAGRAPH,
        label=_("修改原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("该项目已有扣分记录时必须填写，系统会记录修改人、时间和修改前后的内容。"),
    )


class CriterionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("考核内容及评分标准"),
        max_length=limits.PARAGRAPH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    points = forms.DecimalField(
        label=_("要点分值"), max_digits=6, decimal_places=2, required=False, min_value=0
    )
    method = forms.CharField(label=_("考核方式"), max_length=200, required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, max_num=50)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        help_text=_("Excel 工作簿（.xlsx），不超过 10 MB。可以先下载模板填写。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件过大（%(size).1f MB），不能超过 %(limit)d MB。"),
                params={"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024},
            )
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的（0 字节），请重新选择文件。"))
        return upload


class SamplingPlanForm(forms.ModelForm):
    class Meta:
        model = SamplingPlan
        fields = list(SamplingPlan.COUNT_FIELDS)
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "max": 200}) for name in SamplingPlan.COUNT_FIELDS
        }


class DrawForm(forms.Form):
    seed = forms.IntegerField(
        label=_("随机种子"),
        min_value=0,
        max_value=10**15,
        help_text=_("在抽签会上当众确定的数字。同一种子、同一名册，任何时候重新抽取结果都相同。"),
    )
    reason = forms.CharField(
        max_length=limits.PARAGRAPH,
        label=_("重新抽取原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("已有考核记录引用抽查单位时，只有系统管理员可以重新抽取，并须说明原因。"),
    )


class ManualSampleForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    reason = forms.CharField(
        max_length=limits.PARAGRAPH,
        label=_("专项抽查原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：群众反映该村“三务”公开不及时，专门核查。"),
    )

    def __init__(self, *args, county: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            ancestry__startswith=county.descendant_prefix, is_active=True
        ).order_by("ancestry", "kind", "name")
        self.fields["unit"].label_from_instance = lambda u: f"{u.name}（{u.get_kind_display()}）"
