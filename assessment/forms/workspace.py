"""Forms of the workspace. They parse; assessment.services.findings/overview decide.

Every form of an existing record carries the ``version`` it was loaded at, so
the service can refuse a save made over someone else's newer one.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import limits
from core.text import clean_name
from units.models import Unit
from units.widgets import UnitPicker as BaseUnitPicker

from ..models import Problem

TEXTAREA = {"rows": 3, "class": "form-control"}


def unit_field(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label, queryset=Unit.objects.none(), required=False, widget=UnitPicker
    )


class UnitPicker(BaseUnitPicker):
    """Any unit of the county, found by typing (units.widgets.UnitPicker): the workspace's unit search
    (``campaigns:unit_search``) lists the sampled units by stratum, then the other units of the
    county whose name contains the text. The page carries no list of units at all. Without
    JavaScript, or when the text is typed and not picked, WithUnit.clean finds the unit by its
    name."""

    placeholder = _("输入名称查找本县（区）的单位，或从抽查单位中选择")
    off_sample_badge = True


def unit_where(unit: Unit, county: Unit) -> str:
    """Where a unit sits, as the picker shows it: its parent, unless that is the county."""
    return "" if unit.parent_id in (None, county.pk) else unit.parent.name


class WithUnit(forms.Form):
    def setup_units(self, *, target, current: Unit | None = None, sampled: set[int] | None = None):
        """Any unit of the target's county may be named; ``current`` is the record's unit, and
        ``sampled`` (selectors.sampling.sampled_unit_ids) says whether it is in the sample."""
        self.county = target.unit
        field = self.fields["unit"]
        field.queryset = Unit.objects.filter(ancestry__startswith=self.county.descendant_prefix)
        field.widget.search_url = reverse("campaigns:unit_search", args=[target.pk])
        if current is not None:
            field.widget.current = (
                current.name,
                unit_where(current, self.county),
                current.pk in (sampled or set()),
            )

    def clean(self):
        """The text box is what the user sees: a unit picked from the list and left alone is taken
        by its id; a name typed (or changed) without picking is looked up in the county; an
        emptied box names no unit."""
        cleaned = super().clean()
        typed = self.data.get("unit_label")
        if typed is None or "unit" in self.errors:
            return cleaned  # posted without the text box (a script): the id alone counts
        typed = clean_name(typed)
        unit = cleaned.get("unit")
        if not typed:
            cleaned["unit"] = None
        elif unit is None or clean_name(unit.name) != typed:
            matches = list(
                self.fields["unit"]
                .queryset.filter(name=typed, is_active=True)
                .select_related("parent")
                .order_by("ancestry", "pk")[:6]
            )
            if len(matches) == 1:
                cleaned["unit"] = matches[0]
            elif not matches:
                self.add_error(
                    "unit",
                    _("%(county)s没有名为“%(name)s”的单位。请输入名称的一部分，从列表中选择，或清空此项。")
                    % {"county": self.county.name, "name": typed},
                )
            else:
                places = "、".join(
                    f"{unit_where(u, self.county) or self.county.name}的{u.name}" for u in matches
                )
                self.add_error(
                    "unit",
                    _("%(county)s有多个“%(name)s”（%(places)s），请从列表中选择其中一个。")
                    % {"county": self.county.name, "name": typed, "places": places},
                )
        return cleaned


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
    reason = forms.CharField(
        max_length=limits.PARAGRAPH, label=_("扣分理由"), widget=forms.Textarea(attrs=TEXTAREA)
    )


class PointForm(forms.Form):
    version = VersionField()
    headline = forms.CharField(
        label=_("要点"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("如：凝聚人心有声势")}),
    )
    body = forms.CharField(
        max_length=limits.PARAGRAPH, label=_("内容"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class LeadForm(forms.Form):
    version = VersionField()
    lead = forms.CharField(
        max_length=limits.PARAGRAPH,
        label=_("总体评价"),
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 4}),
    )


class BonusForm(forms.Form):
    version = VersionField()
    bonus = forms.CharField(
        label=_("加分"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control app-points-input"}),
    )
    bonus_reason = forms.CharField(
        max_length=limits.PARAGRAPH,
        label=_("加分理由"),
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 2}),
    )


class ProblemForm(WithUnit):
    version = VersionField()
    text = forms.CharField(
        max_length=limits.PARAGRAPH, label=_("问题"), widget=forms.Textarea(attrs=TEXTAREA)
    )
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
        max_length=limits.PARAGRAPH,
        label=_("整改情况"),
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 2}),
    )


class NarrativeForm(forms.Form):
    version = VersionField()
    narrative = forms.CharField(
        max_length=limits.NARRATIVE,
        label=_("工作情况"),
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 10}),
    )


class ExampleForm(WithUnit):
    version = VersionField()
    title = forms.CharField(
        label=_("标题"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    body = forms.CharField(
        max_length=limits.PARAGRAPH,
        label=_("内容"),
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 4}),
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
        max_length=limits.PARAGRAPH,
        label=_("内容"),
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 3}),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        max_length=limits.PARAGRAPH,
        label=_("意见"),
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 3}),
    )
