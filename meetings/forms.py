"""The meeting's forms. They parse; the services decide."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.widgets import OnePersonField
from assessment.forms.fields import DATE, people, person_picker
from units.fields import UnitField, typed_unit

from .models import AgendaItem, Meeting, Speaker


class MeetingForm(forms.ModelForm):
    chair = OnePersonField(
        label=gettext_lazy("主持人账号"),
        queryset=people(),
        required=False,
        help_text=gettext_lazy("主持人用这个账号修改点评；可不填，由组织部代为填写。"),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "date",
            "venue",
            "chair_name",
            "chair_title",
            "chair",
            "guests",
            "purpose",
            "minutes",
            "plan_deadline",
        ]
        widgets = {
            "date": DATE,
            "plan_deadline": DATE,
            "guests": forms.Textarea(attrs={"rows": 2}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"title": gettext_lazy("例如：2021年度全县党组织书记抓基层党建工作述职评议会议")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.chair_id:
            self.fields["chair"].queryset = people(keep=[self.instance.chair_id])
        person_picker(self.fields["chair"], reverse("people:search"))

    def _post_clean(self):  # validation is the service's
        pass


class AgendaForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "officials", "text"]
        widgets = {"officials": forms.Textarea(attrs={"rows": 2}), "text": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class AgendaAddForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=AgendaItem.Kind.choices)
    title = forms.CharField(label=gettext_lazy("议程"), max_length=100)


class SpeakerForm(forms.Form):
    unit = UnitField(label=gettext_lazy("单位"))
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=30)
    title = forms.CharField(
        label=gettext_lazy("职务"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("留空则按单位生成，如“城关镇党委书记”。"),
    )
    mode = forms.ChoiceField(label=gettext_lazy("述职方式"), choices=Speaker.Mode.choices)

    def clean(self):
        data = super().clean()
        typed_unit(self, "unit")
        if not self.errors and self.cleaned_data.get("unit") is None:
            self.add_error("unit", _("请选择述职单位。"))
        return data


class CommentForm(forms.Form):
    achievements = forms.CharField(
        label=gettext_lazy("成绩"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("例如：城关镇以党建引领助推中心工作干在实处、走在前列……"),
    )
    problems = forms.CharField(
        label=gettext_lazy("存在问题（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("每行写一个问题，不必写“一是”“二是”，主持词和反馈单会自动编号。"),
    )
    hopes = forms.CharField(
        label=gettext_lazy("希望"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("例如：希望张三同志以抓好点评问题整改为切入点……"),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("述职人名单（.xlsx）"),
        help_text=gettext_lazy("表头：序号、单位、姓名、职务、述职方式（口头述职/书面述职）。不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件过大（%(size).1f MB），不能超过 %(limit)d MB。")
                % {"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的（0 字节），请重新选择文件。"))
        return upload
