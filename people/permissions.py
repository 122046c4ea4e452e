"""Who may manage people's accounts (the contract: accounts.permissions, which owns the accounts'
rules): administrators only, every page and action of 用户管理; a superuser's account only by a
superuser."""

# The shared part of the contract, and the accounts' own rules, for this app's views.
from accounts.permissions import admin_required as admin_required
from accounts.permissions import can_change_account as can_change_account
from accounts.permissions import is_admin as is_admin
from accounts.permissions import require_account_change as require_account_change
from accounts.permissions import require_admin as require_admin
