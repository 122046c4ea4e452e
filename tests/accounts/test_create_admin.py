"""manage.py create_admin: the first administrator, asked for in Chinese (instead of createsuperuser)."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
GOOD = "Qingshan#2026x"  # letters not all pinyin: "x" at the end


def _run(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_admin", *args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_scripts_give_name_and_username_and_the_password_in_the_environment(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", GOOD)
    out, _err = _run("--noinput", "--name", "张三", "--username", "ZhangSan")
    user = User.objects.get()
    assert (user.name, user.username, user.is_staff, user.is_superuser) == ("张三", "zhangsan", True, True)
    assert user.check_password(GOOD) and not user.must_change_password
    assert "已创建系统管理员“张三”（用户名 zhangsan）" in out


def test_scripts_are_told_what_is_missing(monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    with pytest.raises(
        CommandError, match="使用 --noinput 时必须提供：--username（用户名）、环境变量 ADMIN_PASSWORD（密码）"
    ):
        _run("--noinput", "--name", "张三")
    assert not User.objects.exists()


def test_a_weak_password_or_a_taken_username_creates_nothing(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "Dangjian@2024")
    with pytest.raises(CommandError, match="未创建：密码中的字母连起来是汉语拼音"):
        _run("--noinput", "--name", "张三", "--username", "zhangsan")
    UserFactory(username="zhangsan", name="张三丰")
    monkeypatch.setenv("ADMIN_PASSWORD", GOOD)
    with pytest.raises(CommandError, match="用户名“zhangsan”已被张三丰使用"):
        _run("--noinput", "--name", "张三", "--username", "ZHANGSAN")
    assert User.objects.count() == 1


def test_a_person_at_a_terminal_is_asked_again_until_each_answer_is_right(monkeypatch):
    answers = iter(["", "张三", "张 三", "zhangsan"])
    passwords = iter([GOOD, "different", "short", "short", GOOD, GOOD])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(passwords))
    out, err = _run()
    assert "请填写姓名。" in err
    assert "用户名“张三”不符合要求" in err
    assert "两次输入的密码不一致，请重新输入。" in err
    assert "密码不符合要求：密码太短：至少需要 8 个字符，现在只有 5 个。" in err
    user = User.objects.get()
    assert user.name == "张三" and user.username == "zhangsan" and user.check_password(GOOD)


def test_without_a_terminal_it_does_not_hang(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="当前不是交互式终端"):
        _run()


def test_ctrl_c_creates_nothing(monkeypatch):
    def interrupt(prompt=""):
        raise KeyboardInterrupt

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", interrupt)
    with pytest.raises(CommandError, match="已取消，没有创建任何账户。"):
        _run()
    assert not User.objects.exists()
