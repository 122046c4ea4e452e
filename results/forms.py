from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .domain.rules import VetoEffect
from .models import Bulletin, Item, Scheme

BAND_ROWS = 6
SCORE = {"max_digits": 6, "decimal_places": 2}


class SchemeForm(forms.ModelForm):
    """The weights, the 述职评议 source and the quota, with up to six grade bands (best first)."""

    class Meta:
        model = Scheme
        fields = [
            "weight_field",
            "weight_meeting",
            "weight_ballot",
            "meeting_source",
            "quota",
            "name_units",
            "rectification_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bands = list(self.instance.bands.all()) if self.instance.pk else []
        for n in range(BAND_ROWS):
            band = bands[n] if n < len(bands) else None
            self.fields[f"band_label_{n}"] = forms.CharField(
                label=_("第%(n)d等次") % {"n": n + 1},
                max_length=10,
                required=False,
                initial=band.label if band else "",
            )
            self.fields[f"band_min_{n}"] = forms.DecimalField(
                label=_("第%(n)d等次最低分") % {"n": n + 1},
                required=False,
                min_value=Decimal(0),
                **SCORE,
                initial=band.minimum if band else None,
            )

    def band_rows(self):
        return [(self[f"band_label_{n}"], self[f"band_min_{n}"]) for n in range(BAND_ROWS)]

    def clean(self):
        data = super().clean()
        bands = []
        for n in range(BAND_ROWS):
            label = (data.get(f"band_label_{n}") or "").strip()
            minimum = data.get(f"band_min_{n}")
            if not label and minimum is None:
                continue
            if not label or minimum is None:
                raise forms.ValidationError(_("第%(n)d等次要同时填写名称和最低分。") % {"n": n + 1})
            bands.append((label, minimum))
        data["bands"] = bands
        return data


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=Item.Kind.choices)
    label = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    points = forms.DecimalField(
        label=gettext_lazy("每次分值"), required=False, min_value=Decimal("0.01"), **SCORE
    )
    cap = forms.DecimalField(label=gettext_lazy("上限"), required=False, min_value=Decimal("0.01"), **SCORE)
    veto_effect = forms.ChoiceField(
        label=gettext_lazy("否决后果"), required=False, choices=[("", "—"), *VetoEffect.choices]
    )


class AwardForm(forms.Form):
    item = forms.ModelChoiceField(label=gettext_lazy("项目"), queryset=Item.objects.none())
    points = forms.DecimalField(
        label=gettext_lazy("分值"),
        required=False,
        min_value=Decimal("0.01"),
        **SCORE,
        help_text=gettext_lazy("留空按该项目的每次分值计；一票否决项不填。"),
    )
    reason = forms.CharField(
        label=gettext_lazy("事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=gettext_lazy("佐证材料"), required=False)

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = scheme.items.all()
        self.fields["item"].label_from_instance = lambda i: f"{i.get_kind_display()} · {i.label}"


class ManualGradeForm(forms.Form):
    grade = forms.ChoiceField(label=gettext_lazy("调整后等次"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("调整理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", _("（撤销人工调整）"))] + [
            (b.label, b.label) for b in scheme.bands.all()
        ]


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("重新打开的理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulletinForm(forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = ["title", "body", "signature", "date"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"body": gettext_lazy("每段一行；以“一、”“（一）”开头的行作为标题。")}
