"""``{% guide_figure "name.png" "caption" %}``: a screenshot of the guide (static/guide/), taken from
the demo by tests/browser/test_guide_screenshots.py. The Word manual reads the same <figure>."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from guide import figures

register = template.Library()


@register.simple_tag
def guide_figure(name: str, caption: str) -> str:
    size = figures.size(name)
    return format_html(
        '<figure class="guide-figure"><img src="{}" alt="{}" width="{}" height="{}" loading="lazy"'
        ' data-figure="{}"><figcaption>{}</figcaption></figure>',
        static(f"{figures.FOLDER}/{name}"),
        caption,
        size[0] if size else "",
        size[1] if size else "",
        name,
        caption,
    )
