"""The person picker: people found by typing a name or a unit, instead of a list of everyone.

Each person chosen is a chip (“孙志强 · 青山县财政局 ×”) holding a hidden input with the person's id,
so the form posts the ids exactly as a select would; a text box below lists, as it is typed in,
what ``search_url`` answers (``people:search``: 姓名 · 所在单位, and where someone already
serves). static/js/person_picker.js adds and removes the chips. The page carries only the people
already chosen, never the whole list.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import User


def person_option_label(user) -> str:
    """“孙志强 · 青山县财政局”, or the name alone for someone without a unit; “（已停用）” after
    someone whose account is deactivated."""
    label = f"{user} · {user.home_unit.name}" if user.home_unit_id else str(user)
    return label if user.is_active else label + _("（已停用）")


class PersonPicker(forms.Widget):
    """For a ModelMultipleChoiceField (``multiple``) or a ModelChoiceField of users."""

    multiple = True
    placeholder = _("输入姓名、用户名或单位查找")

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.search_url = ""
        self.create_url = ""  # where a missing person is created (opens in a new tab)

    def value_from_datadict(self, data, files, name):
        values = [v for v in data.getlist(name) if v] if hasattr(data, "getlist") else data.get(name)
        if self.multiple:
            return values if isinstance(values, list) else [values] if values else []
        if isinstance(values, list):
            return values[-1] if values else None
        return values or None

    def value_omitted_from_data(self, data, files, name):
        return False  # no chip posts nothing: an empty choice, not a missing field

    def _chosen(self, value) -> list:
        if value in (None, "", []):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids = []
        for v in values:
            pk = getattr(v, "pk", v)
            try:
                ids.append(int(pk))
            except (TypeError, ValueError):
                continue  # a tampered value: the field reports it
        if not ids:
            return []
        by_id = User.objects.select_related("home_unit").in_bulk(ids)
        return [by_id[i] for i in dict.fromkeys(ids) if i in by_id]

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        box_id = attrs.get("id") or f"id_{name}"
        chips = format_html_join(
            "",
            '<span class="app-person-chip" data-person-id="{}"><input type="hidden" name="{}" value="{}">'
            '<span>{}</span><button type="button" class="btn-close" data-person-remove aria-label="{}"></button>'
            "</span>",
            (
                (user.pk, name, user.pk, person_option_label(user), _("移除 %(name)s") % {"name": user})
                for user in self._chosen(value)
            ),
        )
        create = (
            format_html(
                '<a class="small" href="{}" target="_blank" rel="noopener" title="{}" data-person-create>'
                '<i class="bi bi-person-plus me-1" aria-hidden="true"></i>{}</a>',
                self.create_url,
                _("在新标签页中新建人员，建好后回到这里查找"),
                _("找不到？新建人员"),
            )
            if self.create_url
            else ""
        )
        return format_html(
            '<div class="app-person-picker" data-person-picker data-name="{name}" data-search-url="{url}"{multiple}>'
            '<div class="app-person-chips" data-person-chips aria-live="polite">{chips}</div>'
            '<div class="app-unit-field">'
            '<input type="text" id="{id}" class="form-control" placeholder="{placeholder}" autocomplete="off"'
            ' role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="{id}-list"'
            ' maxlength="50" data-person-box>'
            '<div class="app-unit-list list-group" id="{id}-list" role="listbox" hidden></div></div>'
            "{create}"
            '<noscript><div class="small text-danger">{noscript}</div></noscript></div>',
            name=name,
            url=self.search_url,
            multiple=format_html(" {}", "data-multiple") if self.multiple else "",
            chips=chips,
            id=box_id,
            placeholder=self.placeholder,
            create=create,
            noscript=_("查找人员需要启用浏览器的 JavaScript。"),
        )


class SinglePersonPicker(PersonPicker):
    multiple = False
    placeholder = _("输入姓名、用户名或单位查找，选择一人")


class PersonField(forms.ModelMultipleChoiceField):
    """People chosen with the person picker."""

    widget = PersonPicker


class OnePersonField(forms.ModelChoiceField):
    widget = SinglePersonPicker
