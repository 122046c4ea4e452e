from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import city, county
from units.models import Unit
from units.selectors import roster_overview, unit_search, unit_tree


def _grow_county(parent: Unit, name: str, townships: int, villages: int) -> Unit:
    """A county with ``townships`` townships of ``villages`` villages each, inserted in bulk."""
    c = county(parent, name)
    towns = Unit.objects.bulk_create(
        Unit(name=f"{name}第{i}镇", kind=Unit.Kind.TOWNSHIP, parent=c, ancestry=c.descendant_prefix)
        for i in range(townships)
    )
    Unit.objects.bulk_create(
        Unit(name=f"第{j}村", kind=Unit.Kind.VILLAGE, parent=t, ancestry=t.descendant_prefix)
        for t in towns
        for j in range(villages)
    )
    return c


def test_tree_nests_children_by_kind_then_name(roster):
    tree = unit_tree(roster["qingshan"])
    assert [n.unit.name for n in tree.children] == ["城关镇"]
    assert [n.unit.name for n in tree.children[0].children] == ["新村"]
    assert tree.descendant_count == 2


def test_tree_hides_inactive_units_unless_asked(roster):
    Unit.objects.filter(pk=roster["qs_village"].pk).update(is_active=False)
    assert unit_tree(roster["qingshan"]).descendant_count == 1
    assert unit_tree(roster["qingshan"], include_inactive=True).descendant_count == 2


def test_tree_unfolds_the_path_to_a_focused_unit(roster):
    tree = unit_tree(roster["qingshan"], focus_id=roster["qs_village"].pk)
    town = tree.children[0]
    assert town.open and town.children[0].focused


def test_overview_counts_units_per_county_and_kind(roster):
    (summary,) = roster_overview()
    counties = {c.name: (counts, total) for c, counts, total in summary.counties}
    counts, total = counties["青山县"]
    assert total == 2
    assert [(k.label, k.count) for k in counts] == [("乡镇（街道）", 1), ("村（社区）", 1)]
    assert summary.total["village"] == 2


def test_search_finds_units_with_their_path(roster):
    hits = unit_search("新村")
    assert sorted(h.path for h in hits) == ["云山市 › 绿水县 › 城关镇", "云山市 › 青山县 › 城关镇"]
    assert {h.tree_root.name for h in hits} == {"青山县", "绿水县"}


def test_county_page_takes_the_same_queries_for_100_or_1000_units(admin_client, db):
    root = city()
    small = _grow_county(root, "小县", townships=4, villages=24)
    large = _grow_county(root, "大县", townships=20, villages=49)
    assert Unit.objects.filter(ancestry__startswith=large.descendant_prefix).count() == 1000

    def queries(unit: Unit) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(reverse("units:detail", args=[unit.pk]))
        assert response.status_code == 200
        return len(captured)

    queries(small)  # warm caches (session, content types)
    assert queries(small) == queries(large) <= 8
    html = admin_client.get(reverse("units:detail", args=[large.pk])).content.decode()
    assert "下属单位 1,000 个" in html and "大县第19镇" in html


def test_overview_and_search_take_the_same_queries_whatever_the_size(admin_client, db):
    root = city()
    _grow_county(root, "小县", townships=2, villages=5)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    index, search = reverse("units:index"), reverse("units:index") + "?q=村"
    before = (queries(index), queries(search))
    _grow_county(root, "大县", townships=10, villages=30)
    assert (queries(index), queries(search)) == before
