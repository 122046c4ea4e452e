"""The guide's screenshots, taken from the demo in a real browser so that they show the product as it
is (tests/guide_shots.py lists them). Each is written to static/guide/ — scaled, reduced to a
palette and compressed — when it is new or when the page looks different from the committed one
(more than a few pixels in a thousand), so a run that changes nothing leaves the files alone.
"""

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image, ImageChops

from assessment.models import Campaign, Target
from assessment.services import workflow
from guide import figures
from reports import batch as batches
from tests.browser.conftest import login
from tests.guide_shots import MAX_WIDTH, SHOTS, Demo, password, settle_clock

LATER = dt.datetime(2022, 1, 14, 16, 0)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Share of pixels that may differ before a committed screenshot is replaced (anti-aliasing noise).
CHANGED = 0.0005


def trimmed(image: Image.Image) -> Image.Image:
    """Without the empty page background below the content (a short page in a tall clip)."""
    background = Image.new("RGB", image.size, image.getpixel((image.width - 1, image.height - 1)))
    box = ImageChops.difference(image, background).convert("L").point(lambda v: 255 if v > 8 else 0).getbbox()
    return image.crop((0, 0, image.width, min(image.height, box[3] + 12))) if box else image


def compress(png: bytes) -> bytes:
    image = trimmed(Image.open(io.BytesIO(png)).convert("RGB"))
    if image.width > MAX_WIDTH:
        image = image.resize(
            (MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)), Image.Resampling.LANCZOS
        )
    out = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True
    )
    return out.getvalue()


def _changed_share(old: Image.Image, new: Image.Image, dx: int, dy: int) -> float:
    """Share of the overlapping pixels that differ visibly, ``new`` shifted by (dx, dy)."""
    w, h = new.width - abs(dx), new.height - abs(dy)
    a = old.crop((max(dx, 0), max(dy, 0), max(dx, 0) + w, max(dy, 0) + h))
    b = new.crop((max(-dx, 0), max(-dy, 0), max(-dx, 0) + w, max(-dy, 0) + h))
    changed = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 24 else 0)
    return changed.histogram()[255] / (w * h)


def differs(new: bytes, path) -> bool:
    """Whether ``new`` looks different from the committed picture: a layout that lands a pixel or
    three off from one run to the next (a box at a fraction of a pixel, an inline form loaded a
    moment later) is the same picture."""
    if not path.exists():
        return True
    old_image = Image.open(path).convert("RGB")
    new_image = Image.open(io.BytesIO(new)).convert("RGB")
    if old_image.size != new_image.size:
        return True
    shifts = [(dx, dy) for dx in (-1, 0, 1) for dy in range(-3, 4)]
    return min(_changed_share(old_image, new_image, dx, dy) for dx, dy in shifts) > CHANGED


def capture(page, shot) -> bytes:
    """The shot's element, from its top down to max_height (page coordinates: scrolled to the top)."""
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator(shot.selector).first.bounding_box()
    # Whole pixels: a clip starting a fraction of a pixel over would shift every pixel of the picture.
    clip = {
        "x": round(box["x"]),
        "y": round(box["y"]),
        "width": round(box["width"]),
        "height": round(min(box["height"], shot.max_height)),
    }
    return page.screenshot(clip=clip, full_page=True, animations="disabled", caret="hide")


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    started = timezone.now() - dt.timedelta(seconds=1)
    call_command("load_demo", "--force", stdout=io.StringIO())
    settle_clock(started)
    campaign = Campaign.objects.get(title="2021年度党建工作年终考核")
    targets = {t.unit.name: t.pk for t in Target.objects.filter(campaign=campaign).select_related("unit")}
    meeting = campaign.meetings.first()
    return {"demo": Demo(campaign=campaign.pk, targets=targets, meeting=meeting.pk), "started": started}


def _step(step: str, demo: dict) -> Demo:
    """What a screenshot needs done first, in the database (as its people would do it); its
    timestamps settle on the last day of the field work."""
    current: Demo = demo["demo"]
    since = timezone.now() - dt.timedelta(seconds=1)
    if step == "submit-qingshan":  # 青山县 is approved in the demo: reopen it, the leader submits it
        from django.contrib.auth import get_user_model

        User = get_user_model()
        target = Target.objects.get(pk=current.targets["青山县"])
        workflow.target_reopen(target=target, user=User.objects.get(username="admin"), reason="补充佐证材料")
        workflow.target_submit(target=target, user=User.objects.get(username="leader"))
    elif step == "batch":  # every report of the campaign as one ZIP, built by the real worker
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.get(username="admin")
        batch = batches.batch_request(campaign=Campaign.objects.get(pk=current.campaign), user=admin)
        call_command(
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
            stdout=io.StringIO(),
        )
        current = Demo(current.campaign, current.targets, batch=batch.pk, meeting=current.meeting)
    settle_clock(since, at=LATER)
    return current


def test_the_guides_screenshots_are_taken_from_the_demo(browser, live_server, demo):
    folder = figures.directory()
    folder.mkdir(parents=True, exist_ok=True)
    written, seen = [], []
    current = demo["demo"]
    for shot in SHOTS:
        if shot.step and shot.step != "open-deduction":
            current = _step(shot.step, demo)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.base_url = live_server.url
        try:
            login(page, shot.user, password(shot.user))
            page.goto(live_server.url + shot.path(current))
            page.wait_for_load_state("networkidle")
            if shot.step == "open-deduction":
                criterion = page.locator(shot.selector).first
                criterion.get_by_test_id("add-deduction").click()
                form = criterion.locator("form.app-inline-form")
                form.get_by_label("发现问题的单位").fill("绿水县委组织部")
                form.get_by_label("扣分", exact=True).fill("1")
                form.get_by_label("扣分理由").fill("“我为群众办实事”项目台账不全，部分项目无办结记录。")
                page.evaluate("document.activeElement && document.activeElement.blur()")
            png = compress(capture(page, shot))
            assert "Traceback" not in page.content()
        finally:
            context.close()
        seen.append(shot.name)
        path = folder / shot.name
        if differs(png, path):
            path.write_bytes(png)
            written.append(shot.name)
        assert len(png) <= figures.MAX_BYTES, f"{shot.name} is {len(png):,} bytes"
    assert seen == [s.name for s in SHOTS]
    if written and os.environ.get("GUIDE_SCREENSHOTS_STRICT"):
        pytest.fail(f"screenshots changed (commit them): {written}")
