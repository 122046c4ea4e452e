"""The campaign's form (title, year, period, reviewers) and its status."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.widgets import PersonField
from core import limits

from ..models import Campaign
from .fields import DATE, PeopleFormMixin, people, person_picker


class CampaignForm(PeopleFormMixin, forms.ModelForm):
    reviewers = PersonField(
        label=_("审核人员（组织部）"),
        queryset=people(),
        required=False,
        help_text=_(
            "输入姓名或单位查找，可选多人。审核人员可查看本次考核的全部内容，并审核、退回考核组提交的材料。"
        ),
    )
    note = forms.CharField(
        label=_("说明"), max_length=limits.PARAGRAPH, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Campaign
        fields = ["title", "year", "issuer", "period_start", "period_end", "note"]
        widgets = {"period_start": DATE, "period_end": DATE}
        help_texts = {"title": _("例如：2021年度党建工作年终考核")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = self.instance if self.instance.pk else None
        reviewers = self.fields["reviewers"]
        if campaign is not None:
            reviewers.queryset = people(keep=campaign.reviewers.values_list("pk", flat=True))
        query = f"?campaign={campaign.pk}" if campaign is not None else ""
        person_picker(reviewers, reverse("people:search") + query)

    def _post_clean(self):  # validation is the service's
        pass


class CampaignStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Campaign.Status.choices)
