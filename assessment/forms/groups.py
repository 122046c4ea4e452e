"""An assessment group: its leader and members, counties, dates and methods; handing a county to
another group (移交)."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.widgets import OnePersonField, PersonField
from core import limits
from units.models import Unit

from ..models import AssessmentGroup, Method
from .fields import DATE, PeopleFormMixin, people, person_picker


class GroupForm(PeopleFormMixin, forms.Form):
    name = forms.CharField(label=_("考核组名称"), max_length=50, help_text=_("例如：市委第五考核组"))
    leader = OnePersonField(
        label=_("组长（带队）"), queryset=people(), error_messages={"required": _("请指定考核组组长。")}
    )
    members = PersonField(
        label=_("成员"), queryset=people(), required=False, help_text=_("输入姓名或单位查找，可选多人。")
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("考核对象"),
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

    def __init__(self, *args, campaign, group=None, units, **kwargs):
        super().__init__(*args, **kwargs)
        targets = self.fields["targets"]
        targets.queryset = units
        targets.label = _("考核对象（%(word)s）") % {"word": campaign.target_word}
        if len(campaign.target_kind_list) > 1:  # 城关镇 beside 县教育局: say which is which
            targets.label_from_instance = lambda unit: f"{unit.name}（{unit.get_kind_display()}）"
        query = f"?campaign={campaign.pk}" + (f"&group={group.pk}" if group is not None and group.pk else "")
        for name in ("leader", "members"):
            field = self.fields[name]
            if group is not None and group.pk:
                field.queryset = people(keep=group.memberships.values_list("user_id", flat=True))
            person_picker(field, reverse("people:search") + query)

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
