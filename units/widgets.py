"""The unit picker: a unit found by typing its name, for forms whose page carries no list of units."""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class UnitPicker(forms.Widget):
    """A text box (``<name>_label``) beside the hidden id of the unit chosen.

    static/js/unit_picker.js lists, as the box is focused or typed in, what ``search_url`` answers
    for the text typed (``?q=``): the roster's own search (``units:picker``) or a county's
    (``campaigns:unit_search``, the sampled units first). The form sets ``search_url`` and, for an
    existing record, ``current``. Without JavaScript, or when a name is typed and not picked, the
    form looks the unit up by the text (the ``<name>_label`` value, ``typed``).
    """

    placeholder = _("输入名称查找单位")
    off_sample_badge = False  # the workspace marks a unit outside the county's sample

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.search_url = ""
        self.current: tuple[str, str, bool] | None = None  # the record's unit: (name, where, sampled)
        self.typed: str | None = None  # the text posted with the form

    def value_from_datadict(self, data, files, name):
        self.typed = data.get(f"{name}_label")
        return data.get(name)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        box_id = attrs.get("id") or f"id_{name}"
        if self.typed is not None:  # a form sent back with an error: as the user left it
            text, hint, sampled = self.typed, "", True
        elif self.current is not None:
            text, hint, sampled = self.current
        else:
            text, hint, sampled = "", "", True
        badge = (
            format_html(
                ' <span class="badge app-off-sample" data-off-sample{}>{}</span>',
                mark_safe("" if text and not sampled else " hidden"),
                _("非抽查单位"),
            )
            if self.off_sample_badge
            else ""
        )
        return format_html(
            '<div class="app-unit-picker" data-unit-picker data-search-url="{url}">'
            '<input type="hidden" name="{name}" value="{value}">'
            '<div class="app-unit-field">'
            '<input type="text" name="{name}_label" id="{id}" value="{text}" class="form-control"'
            ' placeholder="{placeholder}" autocomplete="off" role="combobox" aria-autocomplete="list"'
            ' aria-expanded="false" aria-controls="{id}-list" maxlength="100">'
            '<div class="app-unit-list list-group" id="{id}-list" role="listbox" hidden></div></div>'
            '<div class="app-unit-hint small text-secondary">'
            "<span data-unit-where>{hint}</span>{badge}"
            "</div></div>",
            url=self.search_url,
            name=name,
            value="" if value is None else value,
            id=box_id,
            text=text,
            placeholder=self.placeholder,
            hint=hint,
            badge=badge,
        )
