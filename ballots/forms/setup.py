"""Forms of the ballot's setup: they parse; ballots.services.setup decides."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GOOD_WORDS = ("好评", "是", "计入", "√", "Y", "y")


class BallotCreateForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100, initial="民主测评")
    units = forms.MultipleChoiceField(
        label=_("测评对象"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = unit_choices


def _decimal(text: str, line: int, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("第%(line)d行：%(what)s“%(text)s”不是数字。") % {"line": line, "what": what, "text": text}
        ) from None
    if not value.is_finite():
        raise ValidationError(_("第%(line)d行：%(what)s不是数字。") % {"line": line, "what": what})
    return value


class SettingsForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    quorum_numerator = forms.IntegerField(label=_("有效票下限：分子"), min_value=0, max_value=100)
    quorum_denominator = forms.IntegerField(label=_("分母"), min_value=1, max_value=100)
    address = forms.CharField(label=_("会场访问地址"), max_length=200, required=False)
    options = forms.CharField(
        label=_("选项（每行：名称 分值 [好评]）"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("例如“好 100 好评”：最后一项写“好评”的选项计入好评率。"),
    )
    categories = forms.CharField(
        label=_("测评人类别（每行：名称 权重 应到人数）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("例如“县级领导干部 0.3 25”。各类别权重之和应为 1。"),
    )

    def clean_options(self):
        rows = []
        for line, text in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            parts = text.split()
            if not parts:
                continue
            if len(parts) not in (2, 3):
                raise ValidationError(_("第%(line)d行：应为“名称 分值 [好评]”。") % {"line": line})
            score = _decimal(parts[1], line, _("分值"))
            if not 0 <= score <= 100 or score != score.quantize(Decimal("0.01")):
                raise ValidationError(
                    _("第%(line)d行：分值应在 0 至 100 之间，最多两位小数。") % {"line": line}
                )
            rows.append((parts[0], score, len(parts) == 3 and parts[2] in GOOD_WORDS))
        return rows

    def clean_categories(self):
        rows = []
        for line, text in enumerate(self.cleaned_data["categories"].splitlines(), start=1):
            parts = text.split()
            if not parts:
                continue
            if len(parts) not in (2, 3):
                raise ValidationError(_("第%(line)d行：应为“名称 权重 应到人数”。") % {"line": line})
            weight = _decimal(parts[1], line, _("权重"))
            if not 0 <= weight <= 1 or weight != weight.quantize(Decimal("0.0001")):
                raise ValidationError(
                    _("第%(line)d行：权重应在 0 至 1 之间，最多四位小数。") % {"line": line}
                )
            expected = 0
            if len(parts) == 3:
                if not parts[2].isdigit() or int(parts[2]) > 5000:
                    raise ValidationError(_("第%(line)d行：应到人数应为 0 至 5000 的整数。") % {"line": line})
                expected = int(parts[2])
            rows.append((parts[0], weight, expected))
        return rows


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class IssueForm(forms.Form):
    category = forms.TypedChoiceField(label=_("测评人类别"), coerce=int)
    count = forms.IntegerField(label=_("数量"), min_value=1, max_value=2000)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, c.name) for c in categories]


class EntryForm(forms.Form):
    lines = forms.CharField(
        label=_("纸质票（每行一张：序号 类别 标记）"),
        widget=forms.Textarea(
            attrs={"rows": 12, "autofocus": True, "spellcheck": "false", "autocomplete": "off"}
        ),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("纸质票录入表（.xlsx）"),
        help_text=_("标题行下为表头：序号、测评人类别、各测评对象的单位名称；每行一张票。不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("文件过大（%(size).1f MB），不能超过 %(limit)d MB。")
                % {"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024}
            )
        return upload


class SubjectsForm(forms.Form):
    """The people rated, picked from ``candidates`` (units): a tick, an order number, a name and a
    title per unit. ``cleaned_data["subjects"]``: (unit, name, title) in the order given (units
    without a number after the numbered ones, in the listed order)."""

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)

    def clean(self):
        chosen = []
        ticked = set(self.data.getlist("unit")) if hasattr(self.data, "getlist") else set()
        for index, unit in enumerate(self.candidates):
            if str(unit.pk) not in ticked:
                continue
            order = (self.data.get(f"order_{unit.pk}") or "").strip()
            name = (self.data.get(f"name_{unit.pk}") or "").strip()
            title = (self.data.get(f"title_{unit.pk}") or "").strip()
            if order and not (order.isdigit() and 1 <= int(order) <= 999):
                raise ValidationError(
                    _("“%(unit)s”的顺序应为 1 至 999 的整数。") % {"unit": unit.name}, code="order"
                )
            if len(name) > 30 or len(title) > 60:
                raise ValidationError(
                    _("“%(unit)s”的姓名最多 30 个字，职务最多 60 个字。") % {"unit": unit.name}, code="length"
                )
            chosen.append((int(order) if order else 1000, index, unit, name, title))
        if not chosen:
            raise ValidationError(_("请至少勾选一个测评对象。"), code="none")
        chosen.sort(key=lambda row: row[:2])
        self.cleaned_data["subjects"] = [(unit, name, title) for _o, _i, unit, name, title in chosen]
        return self.cleaned_data
