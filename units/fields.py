"""A unit of the roster in a form, picked by typing (units.widgets.UnitPicker)."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from core.text import clean_name

from .models import Unit
from .references import resolve_units
from .widgets import UnitPicker


class UnitField(forms.ModelChoiceField):
    """A unit of the roster, picked by typing (units.widgets.UnitPicker, the roster's own search)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Unit.objects.all(), required=False, widget=UnitPicker, **kwargs)
        self.widget.search_url = reverse_lazy("units:picker")

    def show(self, unit: Unit | None) -> None:
        """Show ``unit`` (the record's) in the box, with where it sits."""
        if unit is not None:
            where = " › ".join(Unit.objects.in_bulk(unit.ancestor_ids)[i].name for i in unit.ancestor_ids)
            self.widget.current = (unit.name, where, True)


def typed_unit(form: forms.Form, field: str) -> None:
    """What the unit box says wins: a unit picked and left alone is taken by its id; a name typed
    (or changed) without picking is looked up in the roster; an emptied box names no unit."""
    typed = form.data.get(f"{field}_label")
    if typed is None or field in form.errors:
        return
    typed = clean_name(typed)
    unit = form.cleaned_data.get(field)
    if not typed:
        form.cleaned_data[field] = None
    elif unit is None or clean_name(unit.name) != typed:
        found = resolve_units([typed])[typed]
        if found.unit is None:
            form.add_error(field, found.error + "。" + _("请输入名称的一部分，从列表中选择。"))
        else:
            form.cleaned_data[field] = found.unit
