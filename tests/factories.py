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
