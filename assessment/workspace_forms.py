"""Forms of the workspace. They parse; assessment.services.findings/overview decide.

Every form of an existing record carries the ``version`` it was loaded at, so
the service can refuse a save made over someone else's newer one.
"""

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.forms import SharedOptgroups
from units.models import Unit

from .models import Problem

TEXTAREA = {"rows": 3, "class": "form-control"}


def unit_field(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("（不指定单位）"),
        widget=UnitSelect,
    )


class PreparedChoices(BaseChoiceIterator):
    """Choices already in Django's normalized form: the field and its widget take them as they are
    instead of normalizing the county's whole sample again for every form of the page. The
    page's blank forms share one, and with it the options their selects show (UnitSelect)."""

    def __init__(self, choices: list):
        self.choices = choices
        self.optgroups: dict = {}

    def __iter__(self):
        return iter(self.choices)


class UnitSelect(forms.Select):
    """A select of PreparedChoices: its options are worked out (and written, by core.forms) once
    for the forms sharing them."""

    def optgroups(self, name, value, attrs=None):
        if not isinstance(self.choices, PreparedChoices):
            return super().optgroups(name, value, attrs)
        key = (name, tuple(value))
        memo = self.choices.optgroups
        if key not in memo:
            memo[key] = SharedOptgroups(super().optgroups(name, value, attrs))
        return memo[key]


def unit_choices(options, extra: Unit | None = None) -> PreparedChoices:
    """Select choices from selectors.unit_options; a unit already on the record stays choosable."""
    choices: list = [("", _("（不指定单位）")), *options]
    if extra is not None and not any(extra.pk == pk for _label, units in options for pk, _name in units):
        choices.append((_("其他"), [(extra.pk, extra.name)]))
    return PreparedChoices(choices)


class WithUnit(forms.Form):
    def setup_units(self, *, county: Unit, choices: PreparedChoices):
        """choices: unit_choices(selectors.unit_options(target), the unit already on the record)."""
        field = self.fields["unit"]
        field.queryset = Unit.objects.filter(ancestry__startswith=county.descendant_prefix)
        field.choices = choices
        field.widget.attrs["class"] = "form-select"


class VersionField(forms.IntegerField):
    def __init__(self):
        super().__init__(required=False, widget=forms.HiddenInput, min_value=1)


class DeductionForm(WithUnit):
    version = VersionField()
    criterion = forms.IntegerField(required=False, widget=forms.HiddenInput)
    unit = unit_field(_("发现问题的单位"))
    points = forms.CharField(
        label=_("扣分"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control app-points-input"}),
    )
    reason = forms.CharField(label=_("扣分理由"), widget=forms.Textarea(attrs=TEXTAREA))


class PointForm(forms.Form):
    version = VersionField()
    headline = forms.CharField(
        label=_("要点"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("如：凝聚人心有声势")}),
    )
    body = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs=TEXTAREA))


class LeadForm(forms.Form):
    version = VersionField()
    lead = forms.CharField(
        label=_("总体评价"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 4})
    )


class BonusForm(forms.Form):
    version = VersionField()
    bonus = forms.CharField(
        label=_("加分"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control app-points-input"}),
    )
    bonus_reason = forms.CharField(
        label=_("加分理由"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 2})
    )


class ProblemForm(WithUnit):
    version = VersionField()
    text = forms.CharField(label=_("问题"), widget=forms.Textarea(attrs=TEXTAREA))
    unit = unit_field(_("涉及单位"))
    category = forms.CharField(
        label=_("问题类别"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "list": "problem-categories"}),
    )
    owner_unit = forms.CharField(
        label=_("责任单位"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    deadline = forms.DateField(
        label=_("整改时限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    rectification = forms.ChoiceField(
        label=_("整改状态"),
        choices=Problem.Rectification.choices,
        initial=Problem.Rectification.OPEN,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    rectification_note = forms.CharField(
        label=_("整改情况"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 2})
    )


class NarrativeForm(forms.Form):
    version = VersionField()
    narrative = forms.CharField(
        label=_("工作情况"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 10})
    )


class ExampleForm(WithUnit):
    version = VersionField()
    title = forms.CharField(
        label=_("标题"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    body = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 4})
    )
    unit = unit_field(_("相关单位"))


class RecommendationForm(forms.Form):
    version = VersionField()
    headline = forms.CharField(
        label=_("建议"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("如：进一步强化工作统筹")}),
    )
    body = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 3})
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 3})
    )
