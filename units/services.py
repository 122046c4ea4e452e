"""Writes to the roster. Every change to a Unit goes through here (or the import,
which applies the same rules in bulk)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import model_audit
from core.text import clean_name, clean_text
from core.uploads import upload_apply, upload_store

from .domain.tree import parent_kind_error
from .importing import RosterPlan, roster_import, roster_plan
from .models import RosterImport, Unit

EDITABLE_FIELDS = ("name", "kind", "parent", "org_type", "secretary", "contact", "note")


def ancestry_under(parent: Unit | None) -> str:
    return parent.descendant_prefix if parent is not None else "/"


def _validate(*, unit: Unit, parent: Unit | None, own_prefix: str | None = None) -> None:
    """Check one unit against the roster's rules; raises ValidationError keyed by field.

    ``own_prefix`` is the unit's descendant prefix *before* a move, so a move
    under one of its own descendants is caught.
    """
    errors: dict[str, list[str]] = {}
    if not unit.name:
        errors.setdefault("name", []).append(_("请填写单位名称。"))
    if unit.kind not in Unit.Kind.values:
        errors.setdefault("kind", []).append(_("请选择单位类别。"))
    elif message := parent_kind_error(unit.kind, parent.kind if parent else None):
        errors.setdefault("parent" if parent else "kind", []).append(message + "。")
    if unit.org_type and unit.org_type not in Unit.OrgType.values:
        errors.setdefault("org_type", []).append(_("党组织类型无效。"))
    moves_under_itself = (
        own_prefix is not None
        and parent is not None
        and (parent.pk == unit.pk or parent.ancestry.startswith(own_prefix))
    )
    if moves_under_itself:
        errors.setdefault("parent", []).append(_("不能把单位移到它自己或它的下属单位之下。"))
    if parent is not None and not parent.is_active and (unit.pk is None or unit.is_active):
        errors.setdefault("parent", []).append(_("上级单位“%(name)s”已停用。") % {"name": parent.name})
    if unit.name and "name" not in errors:
        siblings = Unit.objects.filter(name=unit.name)
        siblings = siblings.filter(parent=parent) if parent else siblings.filter(parent__isnull=True)
        if unit.pk is not None:
            siblings = siblings.exclude(pk=unit.pk)
        if siblings.exists():
            if parent:
                message = _("“%(parent)s”下已有名为“%(name)s”的单位。") % {
                    "parent": parent.name,
                    "name": unit.name,
                }
            else:
                message = _("最上级已有名为“%(name)s”的单位。") % {"name": unit.name}
            errors.setdefault("name", []).append(message)
    if unit.pk is not None and unit.kind in Unit.Kind.values:
        for child_kind in unit.children.values_list("kind", flat=True).distinct():
            if message := parent_kind_error(child_kind, unit.kind):
                errors.setdefault("kind", []).append(
                    _("该单位有下属单位，%(reason)s。") % {"reason": message}
                )
    if errors:
        raise ValidationError(errors)


def _clean_fields(fields: dict) -> dict:
    cleaned = dict(fields)
    if "name" in cleaned:
        cleaned["name"] = clean_name(cleaned["name"])
    for key in ("secretary", "contact", "note"):
        if key in cleaned:
            cleaned[key] = clean_text(cleaned[key])
    cleaned["org_type"] = cleaned.get("org_type") or ""
    return cleaned


@transaction.atomic
def unit_create(
    *,
    name: str,
    kind: str,
    parent: Unit | None,
    org_type: str = "",
    secretary: str = "",
    contact: str = "",
    note: str = "",
) -> Unit:
    fields = _clean_fields(
        {"name": name, "org_type": org_type, "secretary": secretary, "contact": contact, "note": note}
    )
    unit = Unit(kind=kind, parent=parent, ancestry=ancestry_under(parent), **fields)
    _validate(unit=unit, parent=parent)
    unit.full_clean(exclude=["parent"])
    _save(unit)
    return unit


def _save(unit: Unit) -> None:
    """Save, turning a lost race on the unique name into the same message validation gives."""
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        raise ValidationError(
            {"name": [_("同一上级单位下已有名为“%(name)s”的单位。") % {"name": unit.name}]}
        ) from None


@transaction.atomic
def unit_update(*, unit: Unit, **fields) -> Unit:
    """Change a unit's fields; moving it (a new parent) moves its whole subtree."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unit_update() got unexpected fields: {sorted(unknown)}")
    fields = _clean_fields({"org_type": unit.org_type, **fields})
    parent = fields.pop("parent", unit.parent)
    # The stored path, not the caller's copy, which may predate a move of an ancestor.
    unit.ancestry = Unit.objects.select_for_update().values_list("ancestry", flat=True).get(pk=unit.pk)
    old_prefix = unit.descendant_prefix
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.parent = parent
    unit.ancestry = ancestry_under(parent)
    _validate(unit=unit, parent=parent, own_prefix=old_prefix)
    unit.full_clean(exclude=["parent"])
    _save(unit)
    new_prefix = unit.descendant_prefix
    if new_prefix != old_prefix:
        descendants = list(Unit.objects.filter(ancestry__startswith=old_prefix))
        for descendant in descendants:
            descendant.ancestry = new_prefix + descendant.ancestry[len(old_prefix) :]
        Unit.objects.bulk_update(descendants, ["ancestry"], batch_size=1000)
    return unit


def unit_active_descendants_count(*, unit: Unit) -> int:
    return Unit.objects.filter(ancestry__startswith=unit.descendant_prefix, is_active=True).count()


@transaction.atomic
def unit_deactivate(*, unit: Unit) -> int:
    """Deactivate a unit and everything under it; returns how many units were deactivated."""
    return model_audit.update(
        Unit.objects.filter(Q(pk=unit.pk) | Q(ancestry__startswith=unit.descendant_prefix), is_active=True),
        is_active=False,
    )


@transaction.atomic
def unit_reactivate(*, unit: Unit) -> Unit:
    """Reactivate one unit (not its subtree: the admin re-enables what still exists)."""
    if unit.parent is not None and not unit.parent.is_active:
        raise ValidationError(_("上级单位“%(name)s”已停用，请先启用上级单位。") % {"name": unit.parent.name})
    unit.is_active = True
    unit.save(update_fields=["is_active", "updated_at"])
    return unit


# --- roster uploads -----------------------------------------------------------


def roster_upload_create(*, name: str, data: bytes, user, plan: RosterPlan | None = None) -> RosterImport:
    """Store an uploaded roster and its preview (what importing it would do); ``plan``: that
    preview when the caller has already worked it out (outside the transaction that stores it)."""
    if plan is None:
        plan = roster_plan(data=data, file_name=name)
    return upload_store(model=RosterImport, name=name, data=data, user=user, plan=plan)


def roster_upload_apply(*, upload: RosterImport) -> RosterPlan:
    """Import a previewed upload. Re-checks it against the roster as it is now; all or nothing."""
    return upload_apply(
        upload=upload, run=lambda data: roster_import(data=data, file_name=upload.original_name)
    )
