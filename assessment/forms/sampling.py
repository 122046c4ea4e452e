"""The sample: a plan, a draw, a unit added by hand."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import limits
from units.models import Unit

from ..domain import levels
from ..models import SamplingPlan


class SamplingPlanForm(forms.ModelForm):
    class Meta:
        model = SamplingPlan
        fields = list(SamplingPlan.COUNT_FIELDS)
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "max": 200}) for name in SamplingPlan.COUNT_FIELDS
        }

    def __init__(self, *args, kinds, **kwargs):
        """Only the counts that apply to targets of ``kinds`` (a township has no 县直机关 to draw)."""
        super().__init__(*args, **kwargs)
        keep = set(levels.plan_fields(kinds))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


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
