"""Forms of the user management pages. They parse; accounts.users decides."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.usernames import USERNAME_MAX
from accounts.users import NAME_MAX, TITLE_MAX
from assessment.selectors.roles import ROLE_FILTERS, campaigns_for_filter
from units.fields import UnitField, typed_unit
from units.models import Unit

from .selectors import ACTIVE, STATUS_CHOICES, PeopleFilter


class PersonForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=NAME_MAX)
    username = forms.CharField(
        label=gettext_lazy("用户名"),
        max_length=USERNAME_MAX,
        required=False,
        help_text=gettext_lazy("登录时输入：英文字母、数字和 . _ -，如 zhangsan。"),
    )
    home_unit = UnitField(
        label=gettext_lazy("所在单位"),
        help_text=gettext_lazy(
            "输入单位名称查找。考核组的回避提示据此判断本人是否在考核对象县（区）内工作。"
        ),
    )
    title = forms.CharField(label=gettext_lazy("职务"), max_length=TITLE_MAX, required=False)
    phone = forms.CharField(
        label=gettext_lazy("手机"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    is_staff = forms.BooleanField(
        label=gettext_lazy("系统管理员"),
        required=False,
        help_text=gettext_lazy("可管理单位名册、考核工作、考核组和用户，查看全部考核内容。"),
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if person is None:
            self.fields["username"].help_text = _(
                "登录时输入：英文字母、数字和 . _ -。留空则按姓名拼音生成，如“张三”为 zhangsan。"
            )
        else:
            self.fields["username"].required = True
            self.fields["home_unit"].show(person.home_unit)

    @classmethod
    def initial_for(cls, person) -> dict:
        return {
            "name": person.name,
            "username": person.username,
            "home_unit": person.home_unit_id,
            "title": person.title,
            "phone": person.phone,
            "is_staff": person.is_staff,
        }

    def clean(self):
        cleaned = super().clean()
        typed_unit(self, "home_unit")
        return cleaned


class PeopleFilterForm(forms.Form):
    """The list's filters, from the page's query string."""

    q = forms.CharField(label=gettext_lazy("查找"), max_length=50, required=False)
    unit = UnitField(label=gettext_lazy("所在单位（含下属单位）"))
    role = forms.ChoiceField(label=gettext_lazy("考核角色"), required=False)
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("考核工作"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("任一考核工作"),
    )
    status = forms.ChoiceField(label=gettext_lazy("状态"), choices=STATUS_CHOICES, required=False)
    locked = forms.BooleanField(label=gettext_lazy("只看被锁定的"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("全部"))] + [(k, str(v)) for k, v in ROLE_FILTERS]
        self.fields["campaign"].queryset = campaigns_for_filter()
        self.fields["q"].widget.attrs.update(placeholder=_("姓名、用户名或单位"), **{"class": "form-control"})
        for name in ("role", "campaign", "status"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["locked"].widget.attrs["class"] = "form-check-input"
        unit = self.data.get("unit")
        if unit and str(unit).isdigit():
            self.fields["unit"].show(Unit.objects.filter(pk=unit).first())

    def clean(self):
        cleaned = super().clean()
        typed_unit(self, "unit")
        return cleaned

    def filters(self) -> PeopleFilter:
        """The filters the form holds; what does not parse is left out (a list, not a refusal)."""
        data = self.cleaned_data if self.is_valid() else {}
        return PeopleFilter(
            query=(data.get("q") or "").strip(),
            unit=data.get("unit"),
            role=data.get("role") or "",
            campaign=data.get("campaign"),
            status=data.get("status") or ACTIVE,
            locked_only=bool(data.get("locked")),
        )


class PeopleUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("人员名单（.xlsx）"),
        help_text=gettext_lazy("Excel 工作簿（.xlsx），不超过 10 MB。可以先下载模板填写。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件过大（%(size).1f MB），不能超过 %(limit)d MB。")
                % {"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的（0 字节），请重新选择文件。"))
        return upload
