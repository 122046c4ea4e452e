"""What the meeting commands share: the meeting a --meeting argument names, and who acts."""

from django.core.management.base import CommandError

from accounts.models import User

from ..models import Meeting


def find_meeting(ref: str) -> Meeting:
    """A meeting by id, or by its title when that names exactly one."""
    ref = (ref or "").strip()
    found = Meeting.objects.select_related("campaign")
    if ref.isdigit():
        meeting = found.filter(pk=int(ref)).first()
        if meeting is None:
            raise CommandError(f"没有编号为 {ref} 的述职评议会议。")
        return meeting
    matches = list(found.filter(title=ref))
    if not matches:
        raise CommandError(f"找不到述职评议会议“{ref}”。")
    if len(matches) > 1:
        listed = "、".join(f"{m.pk}（{m.campaign}）" for m in matches)
        raise CommandError(f"“{ref}”对应 {len(matches)} 个会议，请用编号指定：{listed}。")
    return matches[0]


def actor(username: str | None) -> User:
    user = (
        User.objects.filter(username=username).first()
        if username
        else User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    )
    if user is None:
        raise CommandError("找不到操作人：请用 --user 指定一个用户名。")
    return user
