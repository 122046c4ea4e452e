from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.widgets import OnePersonField
from assessment.forms.fields import people, person_picker
from units.models import Unit

from .models import Answer, Deadlines, UnitFile


class LiaisonForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("被考核单位"), queryset=Unit.objects.none(), empty_label=_("请选择")
    )
    user = OnePersonField(
        label=_("联络员"), queryset=people(), error_messages={"required": _("请选择联络员。")}
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = campaign.target_units().order_by("name")
        person_picker(self.fields["user"], reverse("people:search"))


class DeadlinesForm(forms.ModelForm):
    class Meta:
        model = Deadlines
        fields = ["feedback_workdays", "rectification_workdays"]
        help_texts = {
            "feedback_workdays": _(
                "审核通过后，被考核单位在这些工作日内对问题反馈意见（不含法定节假日，调休上班日计入）。"
            ),
            "rectification_workdays": _("定稿后，问题整改时限按这些工作日计算。"),
        }

    def _post_clean(self):  # the service validates
        pass


class UnitFileForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("材料类别"),
        choices=[(p.value, p.label) for p in UnitFile.Purpose if p != UnitFile.Purpose.OBJECTION],
    )
    file = forms.FileField(label=_("文件"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class AnswerForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label=_("意见"),
        choices=[("1", _("无异议")), ("0", _("有异议"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("异议理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(label=_("答复"), choices=Answer.Ruling.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("答复理由"), widget=forms.Textarea(attrs={"rows": 2}))
    revised_text = forms.CharField(
        label=_("修改后的问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("修改述职评议点评指出的问题时填写；实地考核的问题请退回考核组修改。"),
    )


class ObjectionFileForm(forms.Form):
    file = forms.FileField(label=_("异议材料"))
