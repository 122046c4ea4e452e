"""Forms: a service's refusal shown on its form (form_errors), and the form renderer: Django's own,
with its simplest widget templates written in Python.

Django renders every widget through a template, and every ``<option>`` of a
``<select>`` through one more: on the workspace (some thirty widgets and six
selects of a county's 150 sampled units a page) that was a third of the page's
time. The templates below are replaced by functions giving the same markup
(tests/test_core_helpers.py compares both); a template that a project or an app
overrides is left alone, and so is every other template.
"""

from html import escape
from pathlib import Path

import django
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
_DJANGO_TEMPLATES = Path(django.__file__).parent / "forms" / "templates"


def _text(value) -> str:
    """{{ value }} under autoescape: safe strings as they are, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its bare name."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _options(optgroups: list) -> str | None:
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            parts.append(f'<optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != WIDGETS + "select_option.html":
                return None  # a widget with options of its own kind
            parts.append(
                f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>'
            )
        if group_name:
            parts.append("</optgroup>")
    return "".join(parts)


def _select(widget: dict) -> str | None:
    options = _options(widget["optgroups"])
    if options is None:
        return None
    return f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>{options}</select>'


QUICK = {
    **{
        f"{WIDGETS}{kind}.html": _input
        for kind in (
            *("input", "text", "number", "email", "url", "tel", "password"),
            *("hidden", "date", "time", "datetime", "search", "color"),
        )
    },
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
}


class QuickRenderer(DjangoTemplates):
    """FORM_RENDERER: DjangoTemplates, with the templates of QUICK rendered by their functions,
    unless any of them (or attrs.html, input.html, select_option.html) is overridden."""

    @cached_property
    def quick(self) -> dict:
        names = [*QUICK, WIDGETS + "attrs.html", WIDGETS + "select_option.html"]
        overridden = any(
            not Path(self.get_template(name).origin.name).is_relative_to(_DJANGO_TEMPLATES) for name in names
        )
        return {} if overridden else QUICK

    def render(self, template_name, context, request=None):
        quick = self.quick.get(template_name)
        if quick is not None:
            html = quick(context["widget"])
            if html is not None:
                return mark_safe(html)
        return super().render(template_name, context, request)


def form_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it has one, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
