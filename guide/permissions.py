"""Who may read the guide (the contract: accounts.permissions): every signed-in person, whatever
their role; the pages themselves never show anything of a campaign."""

from accounts.permissions import is_signed_in


def can_read_guide(user) -> bool:
    return is_signed_in(user)
