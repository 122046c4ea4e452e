"""A checklist item with its criteria, and the checklist workbook's upload."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import limits


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
