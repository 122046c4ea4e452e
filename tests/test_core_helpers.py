from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.test.html import parse_html
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.forms import QUICK, QuickRenderer, form_errors
from core.routing import reverse_ints

CHOICES = [
    ("", "（不指定单位）"),
    ("县直机关", [(1, "县委办"), (2, "县政府办 <A&B>")]),
    ("村（社区）", [(3, '红星村（"东"镇）')]),
]


class Everything(forms.Form):
    text = forms.CharField(
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": '如："一是"'})
    )
    number = forms.IntegerField(required=False)
    hidden = forms.IntegerField(widget=forms.HiddenInput, required=False)
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False)
    unit = forms.TypedChoiceField(choices=CHOICES, coerce=int, required=False)
    many = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙 & 丙")], required=False)
    radio = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect, required=False)
    flag = forms.BooleanField(required=False)


EMPTY: dict = {}
FILLED = {
    "text": '<script>alert("x")</script> & 县委办',
    "number": "12",
    "hidden": "3",
    "area": "第一行\n<b>第二行</b>",
    "day": "2025-12-31",
    "unit": "2",
    "many": ["a", "b"],
    "radio": "y",
    "flag": "on",
}


@pytest.mark.parametrize("data", [None, EMPTY, FILLED], ids=["unbound", "empty", "filled"])
def test_quick_renderer_writes_what_django_writes(data):
    quick, django = Everything(data, renderer=QuickRenderer()), Everything(data, renderer=DjangoTemplates())
    for name in Everything.base_fields:
        ours, theirs = str(quick[name]), str(django[name])
        assert parse_html(ours) == parse_html(theirs), name
        if name not in ("unit", "many"):  # a select differs only in the whitespace between its options
            assert ours == theirs, name
    assert parse_html(quick.as_div()) == parse_html(django.as_div())


def test_quick_renderer_escapes_and_keeps_the_selection():
    html = str(Everything(FILLED, renderer=QuickRenderer())["unit"])
    assert '<option value="2" selected>县政府办 &lt;A&amp;B&gt;</option>' in html
    assert 'label="村（社区）"' in html and "红星村（&quot;东&quot;镇）" in html
    assert "&lt;script&gt;" in str(Everything(FILLED, renderer=QuickRenderer())["text"])


def test_quick_renderer_steps_aside_when_a_widget_template_is_overridden(tmp_path, settings):
    (tmp_path / "django/forms/widgets").mkdir(parents=True)
    (tmp_path / "django/forms/widgets/attrs.html").write_text(
        " data-ours{% for n, v in widget.attrs.items %} {{ n }}{% endfor %}"
    )
    renderer = QuickRenderer()
    renderer.engine.engine.dirs = [tmp_path, *renderer.engine.engine.dirs]
    assert renderer.quick == {}
    assert "data-ours" in str(Everything(renderer=renderer)["text"])
    assert QuickRenderer().quick == QUICK


# -- core.routing.reverse_ints: the rows' {% rowurl %} ----------------------------------------------

ROW_URLS = [
    ("campaigns:deduction_edit", (7,)),
    ("campaigns:deduction_delete", (1234567,)),
    ("campaigns:target_item", (3, 41)),
    ("campaigns:target_item", (41, 3)),
    ("campaigns:evidence_file", (970000001,)),  # the placeholder itself, as a real argument
    ("campaigns:target", (0,)),
]


@pytest.mark.parametrize("name,args", ROW_URLS)
def test_reverse_ints_equals_reverse(name, args):
    assert reverse_ints(name, *args) == reverse(name, args=args)


def test_reverse_ints_follows_the_script_prefix():
    set_script_prefix("/dangjian/")
    try:
        assert reverse_ints("campaigns:deduction_edit", 9) == reverse("campaigns:deduction_edit", args=[9])
        assert reverse_ints("campaigns:deduction_edit", 9).startswith("/dangjian/campaigns/")
    finally:
        set_script_prefix("/")
    assert reverse_ints("campaigns:deduction_edit", 9) == reverse("campaigns:deduction_edit", args=[9])


def test_reverse_ints_other_arguments_go_to_reverse():
    assert reverse_ints("campaigns:target_item", "5", 6) == reverse("campaigns:target_item", args=["5", 6])
    with pytest.raises(NoReverseMatch):
        reverse_ints("campaigns:deduction_edit", 1, 2)


def test_rowurl_tag_in_a_template():
    html = Template(
        "{% load app_tags %}{% rowurl 'campaigns:target_item' t i %}|{% rowurl name 5 as u %}{{ u }}"
    ).render(Context({"t": 2, "i": 8, "name": "campaigns:problem_edit"}))
    assert html == reverse("campaigns:target_item", args=[2, 8]) + "|" + reverse(
        "campaigns:problem_edit", args=[5]
    )


@pytest.mark.parametrize(
    ("value", "html"),
    [
        (Decimal("1.50"), '<span class="app-up" title="上升"><i class="bi bi-arrow-up"></i>1.5</span>'),
        (Decimal("-2.00"), '<span class="app-down" title="下降"><i class="bi bi-arrow-down"></i>2</span>'),
        (Decimal("0"), '<span class="text-secondary">0</span>'),
    ],
)
def test_delta_filter(value, html):
    assert Template("{% load app_tags %}{{ v|delta }}").render(Context({"v": value})) == html


def test_row_cells_write_what_the_loops_wrote():
    values = [Decimal("2.50"), Decimal("0"), Decimal("-1.25")]
    loop = Template(
        '{% load app_tags %}{% for v in values %}<td class="text-end">{{ v|points }}</td>{% endfor %}'
        '|{% for v in values %}<td class="text-end">{{ v|delta }}</td>{% endfor %}'
    )
    cells = Template("{% load app_tags %}{{ values|score_cells }}|{{ values|delta_cells }}")
    context = Context({"values": values})
    assert cells.render(context) == loop.render(context)
    assert '<td class="text-end">2.5</td>' in cells.render(context)


def test_form_errors_puts_a_services_refusal_on_its_field_or_at_the_top():
    class Small(forms.Form):
        name = forms.CharField(required=False)

    form = Small(data={"name": "x"})
    assert form.is_valid()
    form_errors(form, ValidationError({"name": ["太短"], "unknown": ["别处"]}))
    assert form.errors == {"name": ["太短"], "__all__": ["别处"]}
    form = Small(data={})
    form.is_valid()
    form_errors(form, ValidationError(["一", "二"]))
    assert form.non_field_errors() == ["一", "二"]
