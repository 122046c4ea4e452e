"""Who may see and change a campaign's 综合评定 (the contract: accounts.permissions).

- The results page, its Excel sheet and the per-unit feedback sheets: the campaign's
  reviewers and the administrators (others with a role in the campaign get 403, those with
  none 404, as for the dashboard).
- Entering 述职评议 scores: reviewers and administrators.
- The scheme, bonus/penalty/veto records, grades set by hand, confirming and reopening:
  administrators only.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.permissions import admin_required as admin_required
from accounts.permissions import is_admin as is_admin
from accounts.permissions import require_admin as require_admin
from assessment.permissions import campaign_for_read, can_read_whole_campaign


def campaign_for_results(user, pk: int):
    """The campaign whose results the user may read: 404 without a role in it, 403 for groups."""
    campaign = campaign_for_read(user, pk)
    if not can_read_whole_campaign(user, campaign):
        raise PermissionDenied(_("综合评定结果供组织部审核人员和系统管理员查看。"))
    return campaign


def campaign_for_scores(user, pk: int):
    """Entering 述职评议 scores: the same people as reading the results."""
    return campaign_for_results(user, pk)


def campaign_for_scheme(user, pk: int):
    """Changing the scheme and its records: administrators."""
    campaign = campaign_for_results(user, pk)
    if not is_admin(user):
        raise PermissionDenied(_("考核办法、加减分和等次调整由系统管理员设置。"))
    return campaign


def can_change_scheme(user) -> bool:
    return is_admin(user)
