from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .domain.tree import allowed_child_kinds, kind_label
from .models import Unit
from .selectors import parent_choices

DETAIL_FIELDS = ["org_type", "secretary", "contact", "note"]


class UnitForm(forms.ModelForm):
    """Parses a unit's fields. The rules (names unique under a parent, which kind
    may sit under which) live in units.services, which reports back per field."""

    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", *DETAIL_FIELDS]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, parent: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            self.fields["parent"].queryset = parent_choices(kind=self.instance.kind, near=self.instance)
            self.fields["parent"].label_from_instance = lambda u: f"{u.name}（{u.get_kind_display()}）"
            self.fields["parent"].empty_label = _("（无上级单位）")
        else:
            del self.fields["parent"]
            kinds = allowed_child_kinds(parent.kind if parent else None)
            self.fields["kind"].choices = [("", "---------")] + [(k, kind_label(k)) for k in kinds]
        self.fields["org_type"].required = False

    # Model validation (unique constraints) runs in the service, with clearer messages.
    def _post_clean(self):
        pass


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("名册文件（.xlsx）"),
        help_text=_("Excel 工作簿（.xlsx），不超过 10 MB。可以先下载模板填写。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件过大（%(size).1f MB），名册文件不能超过 %(limit)d MB。"),
                params={"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024},
            )
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的（0 字节），请重新选择文件。"))
        return upload
