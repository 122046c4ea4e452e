"""User names made from names (pinyin), the rules a user name follows, and mobile numbers."""

import pytest
from django.core.exceptions import ValidationError

from accounts.hanzi_pinyin import READINGS
from accounts.pinyin import SYLLABLES
from accounts.usernames import NoPinyin, unique_username, username_error, username_from_name
from accounts.users import normalize_phone


@pytest.mark.parametrize(
    "name, username",
    [
        ("张三", "zhangsan"),
        ("钱立新", "qianlixin"),
        ("欧阳娜娜", "ouyangnana"),
        ("吕布", "lvbu"),  # ü as v, as input methods write it
        ("单雄信", "shanxiongxin"),  # surnames read otherwise than the character usually is
        ("曾国藩", "zengguofan"),
        ("解缙", "xiejin"),
        ("尉迟恭", "yuchigong"),
        ("李长春", "lichangchun"),
        ("买买提·艾力", "maimaitiaili"),  # the separator of ethnic names is left out
        ("朱镕基", "zhurongji"),  # a name character outside GB 2312
        ("张 三", "zhangsan"),
        ("王Li", "wangli"),
    ],
)
def test_username_from_a_name(name, username):
    assert username_from_name(name) == username


def test_a_character_the_table_lacks_is_said():
    with pytest.raises(NoPinyin, match="姓名中的“𠮷”不在常用汉字表中，无法自动生成用户名，请填写用户名"):
        username_from_name("𠮷田")


def test_the_table_covers_gb2312_with_valid_syllables():
    gb2312 = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                gb2312.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    missing = [c for c in gb2312 if c not in READINGS and c != "嗯"]
    assert len(gb2312) == 6763 and missing == []
    assert set(READINGS.values()) <= SYLLABLES


def test_a_taken_username_gets_the_smallest_free_number():
    taken = {"zhangsan", "zhangsan2"}
    assert unique_username("zhangsan", taken.__contains__) == "zhangsan3"
    assert unique_username("lisi", taken.__contains__) == "lisi"


@pytest.mark.parametrize("username", ["zhangsan", "zhang.san", "zs-2022", "13800000000", "a1"])
def test_good_usernames(username):
    assert username_error(username) is None


@pytest.mark.parametrize("username", ["张三", "z", "zhang san", "_zs", "a" * 31, "zs@gov"])
def test_bad_usernames_say_what_is_allowed(username):
    assert "只能使用英文字母、数字和 . _ -" in username_error(username)


@pytest.mark.parametrize(
    "text, phone",
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("", ""),
    ],
)
def test_mobile_numbers_are_read_as_11_digits(text, phone):
    assert normalize_phone(text) == phone


@pytest.mark.parametrize("text", ["0791-86000000", "1381234567", "23812345678", "138123456789", "手机"])
def test_other_numbers_are_refused(text):
    with pytest.raises(ValidationError, match="不是有效的手机号码：应为 11 位数字，以 13 至 19 开头"):
        normalize_phone(text)
