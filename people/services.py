"""Writes of the user management pages that are not one account's (those are accounts.users):
storing an uploaded list of people for its preview, and importing it on confirmation."""

from core.uploads import upload_apply, upload_store

from .importing import PeoplePlan, people_import, people_plan
from .models import PeopleImport
from .permissions import require_admin


def people_upload_create(*, name: str, data: bytes, user, plan: PeoplePlan | None = None) -> PeopleImport:
    """Store an uploaded list and its preview (whom importing it would create); ``plan``: that
    preview when the caller has already worked it out (outside the transaction that stores it)."""
    require_admin(user)
    if plan is None:
        plan = people_plan(data=data, file_name=name)
    return upload_store(model=PeopleImport, name=name, data=data, user=user, plan=plan)


def people_upload_apply(*, upload: PeopleImport, actor, request=None) -> PeoplePlan:
    """Import a previewed list: re-checked against the accounts and the roster as they are now;
    all or nothing. On success ``plan.created`` holds each account with its one-time password."""
    require_admin(actor)
    return upload_apply(
        upload=upload,
        run=lambda data: people_import(
            data=data, file_name=upload.original_name, actor=actor, request=request
        ),
    )
