import uuid

import factory
from django.contrib.auth import get_user_model

from units.models import Unit
from units.services import ancestry_under


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-for-tests-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit placed consistently in the tree: ``ancestry`` follows ``parent``."""

    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"单位{n}")
    kind = Unit.Kind.CITY
    parent = None
    ancestry = factory.LazyAttribute(lambda o: ancestry_under(o.parent))


def city(name="云山市", **kw) -> Unit:
    return UnitFactory(name=name, kind=Unit.Kind.CITY, **kw)


def county(parent: Unit, name="青山县", **kw) -> Unit:
    return UnitFactory(name=name, kind=Unit.Kind.COUNTY, parent=parent, **kw)


def township(parent: Unit, name="城关镇", **kw) -> Unit:
    return UnitFactory(name=name, kind=Unit.Kind.TOWNSHIP, parent=parent, **kw)


def village(parent: Unit, name="新村", **kw) -> Unit:
    return UnitFactory(name=name, kind=Unit.Kind.VILLAGE, parent=parent, **kw)


# --- campaigns ------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from assessment.models import (  # noqa: E402
    AssessmentGroup,
    Campaign,
    ChecklistItem,
    Criterion,
    GroupMember,
    Target,
)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    # Sequences run across the whole session: wrap the year round, keep titles unique.
    year = factory.Sequence(lambda n: 2021 + n % 70)
    title = factory.LazyAttributeSequence(
        lambda o, n: f"{o.year}年度党建工作年终考核" + ("" if n < 70 else f"（{n // 70 + 1}）")
    )
    issuer = "市委"


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    campaign = factory.SubFactory(CampaignFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"考核项目{n}")
    full_score = Decimal("25")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    item = factory.SubFactory(ChecklistItemFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"评分细则{n}：未落实的扣1分")
    points = Decimal("5")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentGroup

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"市委第{n + 1}考核组")
    methods = ["random_sampling", "document_check", "field_research", "individual_visit"]


def add_member(group: AssessmentGroup, user, role: str = GroupMember.Role.MEMBER) -> GroupMember:
    return GroupMember.objects.create(group=group, campaign=group.campaign, user=user, role=role)


def add_target(group: AssessmentGroup, unit: Unit) -> Target:
    return Target.objects.create(campaign=group.campaign, group=group, unit=unit)


def form_token() -> str:
    """The hidden ``form_token`` of a freshly rendered create form (core.formtokens)."""
    return str(uuid.uuid4())
