from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core import formtokens, text
from core.numbers import points_text
from core.routing import reverse_ints

register = template.Library()


@register.simple_tag
def asset(path: str) -> str:
    """``{% static %}`` for the error pages: the manifest's name when there is one, else the plain
    /static/ path, so that a 500 page still renders on a server where collectstatic never ran
    (the manifest storage refuses a name missing from its manifest)."""
    try:
        return static(path)
    except ValueError:
        return f"{settings.STATIC_URL.rstrip('/')}/{path}"


@register.simple_tag
def form_token() -> str:
    """The hidden field of a form that creates something: a new token each time the form is
    rendered, so that submitting it twice creates one record (core.formtokens)."""
    return format_html('<input type="hidden" name="{}" value="{}">', formtokens.FIELD, formtokens.new_token())


@register.filter
def points(value) -> str:
    """13.50 → "13.5", 15.00 → "15": scores as people write them."""
    return "" if value is None or value == "" else points_text(value)


@register.filter
def shi(index: int) -> str:
    """0 → 一是, 1 → 二是 … (the points of an evaluation or a list of problems)."""
    return text.shi(int(index))


@register.simple_tag
def rowurl(viewname: str, *args) -> str:
    """{% url %} for the rows of a long page: the same URL, reversed once per pattern (core.routing)."""
    return reverse_ints(viewname, *args)


def _delta_html(value, up: str, down: str) -> str:
    if value > 0:
        return f'<span class="app-up" title="{up}"><i class="bi bi-arrow-up"></i>{points_text(value)}</span>'
    if value < 0:
        return f'<span class="app-down" title="{down}"><i class="bi bi-arrow-down"></i>{points_text(-value)}</span>'
    return '<span class="text-secondary">0</span>'


def _arrows() -> tuple[str, str]:
    return escape(_("上升")), escape(_("下降"))


@register.filter
def delta(value) -> str:
    """A score change with its arrow: ↑1.5 green, ↓2 red, 0 grey (the compare page's cells)."""
    return mark_safe(_delta_html(value, *_arrows()))


# Large tables (150 counties × 40 items) write a row's cells in one call: a template loop
# costs some 10 µs a cell, which at 6,000 cells was most of the page's time.


@register.filter
def score_cells(values) -> str:
    """Right-aligned <td> cells of scores, as |points writes them; None (a score not decided yet)
    as 未评分."""
    unscored = f'<td class="text-end app-unscored">{escape(_("未评分"))}</td>'
    return mark_safe(
        "".join(unscored if v is None else f'<td class="text-end">{points_text(v)}</td>' for v in values)
    )


@register.filter
def delta_cells(values) -> str:
    """Right-aligned <td> cells of score changes, as |delta writes them."""
    up, down = _arrows()
    return mark_safe("".join(f'<td class="text-end">{_delta_html(v, up, down)}</td>' for v in values))
