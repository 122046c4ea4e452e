from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import WorkdayOverride

from .models import Entry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})


class FilterForm(forms.Form):
    source = forms.ChoiceField(
        label=_("来源"), required=False, choices=[("", _("全部来源")), *Entry.Source.choices], widget=SELECT
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *Entry.State.choices], widget=SELECT
    )
    item = forms.ChoiceField(label=_("考核项目"), required=False, widget=SELECT)
    overdue = forms.BooleanField(
        label=_("只看逾期"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    unit = forms.TypedChoiceField(
        label=_("单位"), required=False, coerce=int, empty_value=None, widget=SELECT
    )

    def __init__(self, *args, items, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("全部项目")), *((t, t) for t in items)]
        self.fields["unit"].choices = [("", _("全部单位")), *((u.pk, u.name) for u in units)]


class MeasuresForm(forms.Form):
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_person = forms.CharField(label=_("责任人"), max_length=50, required=False)


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("整改进展"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("佐证材料"), required=False)


class CompletionForm(forms.Form):
    note = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}))


class EditForm(forms.Form):
    deadline = forms.DateField(label=_("整改时限"), required=False, widget=DATE)
    responsible_unit = forms.CharField(label=_("责任单位"), max_length=100, required=False)
    responsible_person = forms.CharField(label=_("责任人"), max_length=50, required=False)


class WorkdayForm(forms.ModelForm):
    class Meta:
        model = WorkdayOverride
        fields = ["date", "is_workday", "note"]
        widgets = {"date": DATE}
        labels = {"is_workday": _("这一天上班（不勾选：这一天休息）")}
