import pytest
from django.test import Client

from tests.factories import AdminFactory, UserFactory, city, county, township, village


@pytest.fixture
def user(db):
    return UserFactory(username="zhangsan", name="张三")


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="guanli", name="管理员甲")


@pytest.fixture
def user_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def roster(db) -> dict:
    """A small tree: 云山市 › 青山县 › 城关镇 › 新村, and 绿水县 › 城关镇 › 新村 (names repeat)."""
    c = city()
    qs = county(c, "青山县")
    lv = county(c, "绿水县")
    qs_town = township(qs, "城关镇")
    lv_town = township(lv, "城关镇")
    return {
        "city": c,
        "qingshan": qs,
        "lvshui": lv,
        "qs_town": qs_town,
        "lv_town": lv_town,
        "qs_village": village(qs_town, "新村"),
        "lv_village": village(lv_town, "新村"),
    }
