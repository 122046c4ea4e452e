"""What the ballots commands share: finding the ballot a --meeting argument names."""

from django.core.management.base import CommandError

from ..models import Ballot


def find_ballot(ref: str) -> Ballot:
    """A ballot by id, or by its title (or its 述职评议 meeting's, or its campaign's title) when that
    names exactly one."""
    ref = (ref or "").strip()
    found = Ballot.objects.select_related("campaign")
    if ref.isdigit():
        ballot = found.filter(pk=int(ref)).first()
        if ballot is None:
            raise CommandError(f"没有编号为 {ref} 的民主测评。")
        return ballot
    matches = (
        list(found.filter(title=ref))
        or list(found.filter(meeting__title=ref))
        or list(found.filter(campaign__title=ref))
    )
    if len(matches) != 1:
        raise CommandError(
            f"“{ref}”对应 {len(matches)} 个民主测评，请用编号指定（"
            + "、".join(f"{b.pk} {b}" for b in matches)
            + "）。"
            if matches
            else f"找不到民主测评“{ref}”。"
        )
    return matches[0]
