"""The restriction list (seed 004 (二)1): at most 30 natural days, found however the number is
written, never stored in clear, lifted once, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import text

from bot.restrictions.service import (RestrictionConflict, RestrictionError, RestrictionList, RestrictionNotFound,
                                      normalise)
from bot.tickets.database import make_engine, migrate
from tests.support.tickets import Clock

SEAT = "热线坐席:王芳"


@pytest.fixture
def clock() -> Clock:
    return Clock(2026, 11, 23, 10, 0)


@pytest.fixture
def restrictions(database_url, clock):
    engine = make_engine(database_url)
    migrate(engine)
    yield RestrictionList(engine, timezone="Asia/Shanghai", clock=clock)
    engine.dispose()


def test_a_restricted_phone_is_found_however_it_is_written_and_never_stored_in_clear(restrictions):
    added = restrictions.add("phone", "+86 138-1234-5678", "多次辱骂话务员，来电 13812345678", 30, SEAT)
    assert added.shown == "138****5678" and added.reason == "多次辱骂话务员，来电 138****5678"
    for written in ("13812345678", "0086 138 1234 5678", "+8613812345678", "138-1234-5678"):
        assert restrictions.active("phone", written).id == added.id, written
    assert restrictions.active("phone", "13812345679") is None
    assert restrictions.active("caller", "13812345678") is None      # each kind is its own list
    with restrictions.engine.connect() as connection:
        row = " ".join(str(v) for v in connection.execute(text("SELECT * FROM restrictions")).one())
    assert "1234" not in row and "138****5678" in row


def test_the_citizen_is_told_the_local_date_the_restriction_ends(restrictions, clock):
    clock.set(2026, 11, 24, 7, 0)            # 23:00 UTC the day before
    added = restrictions.add("openid", "oAbCdEfGh123456", "反复无故占线", 1, SEAT)
    assert restrictions.message(added) == "您因违反热线使用规定，已被限制使用本热线服务至2026年11月25日。如有异议，请拨打12345热线。"
    assert added.shown == "oAbC***"
    view = restrictions.view(added)
    assert view["created_at"] == "2026-11-24T07:00:00+08:00" and view["status"] == "active"


def test_at_most_30_natural_days_and_every_bad_request_is_refused_in_chinese(restrictions):
    with pytest.raises(RestrictionError, match="限制最长 30 个自然日"):
        restrictions.add("phone", "13812345678", "辱骂", 31, SEAT)
    for kind, value, reason, days, message in [
        ("phone", "13812345678", "辱骂", 0, "1 到 30 之间"),
        ("phone", "13812345678", "辱骂", True, "1 到 30 之间"),
        ("phone", "13812345678", "  ", 7, "请填写限制原因"),
        ("email", "a@b.c", "辱骂", 7, "未知的限制类型"),
        ("phone", "无号码", "辱骂", 7, "不能为空"),
        ("openid", "   ", "辱骂", 7, "不能为空"),
        ("phone", "12345", "辱骂", 7, "至少应有7位数字"),
    ]:
        with pytest.raises(RestrictionError, match=message):
            restrictions.add(kind, value, reason, days, SEAT)
    assert restrictions.list(include_past=True) == []


def test_a_restriction_ends_by_itself_after_its_days(restrictions, clock):
    added = restrictions.add("web", "web-session-7f3a", "刷屏骚扰", 30, SEAT)
    clock.set(2026, 12, 23, 9, 59)
    assert restrictions.active("web", "web-session-7f3a").id == added.id
    clock.set(2026, 12, 23, 10, 0)
    assert restrictions.active("web", "web-session-7f3a") is None
    assert restrictions.list() == [] and [r.id for r in restrictions.list(include_past=True)] == [added.id]
    with pytest.raises(RestrictionConflict, match="已于2026年12月23日到期"):
        restrictions.lift(added.id, SEAT, "无需")


def test_lifting_ends_it_once_and_keeps_who_and_why(restrictions, clock):
    added = restrictions.add("caller", "010-6512 3456", "威胁工作人员", 10, SEAT)
    assert added.shown == "010****3456"
    with pytest.raises(RestrictionConflict, match="已被限制至2026年12月3日"):
        restrictions.add("caller", "01065123456", "再次威胁", 30, SEAT)
    clock.set(2026, 11, 25, 9, 0)
    lifted = restrictions.lift(added.id, "热线坐席:李娜", "核实为误操作")
    assert (lifted.lifted_by, lifted.lift_reason, restrictions.view(lifted)["status"]) == \
        ("热线坐席:李娜", "核实为误操作", "lifted")
    assert restrictions.view(lifted)["lifted_at"] == "2026-11-25T09:00:00+08:00"
    assert restrictions.active("caller", "01065123456") is None
    with pytest.raises(RestrictionConflict, match="由 热线坐席:李娜 解除"):
        restrictions.lift(added.id, SEAT, "再解除一次")
    with pytest.raises(RestrictionNotFound, match="没有编号为 999 的限制记录"):
        restrictions.lift(999, SEAT, "不存在")
    again = restrictions.add("caller", "01065123456", "再次威胁", 30, SEAT)      # lifted: may be restricted anew
    assert restrictions.active("caller", "010 6512 3456").id == again.id
    assert [r.id for r in restrictions.list(include_past=True)] == [again.id, added.id]


def test_normalisation():
    assert normalise("phone", "0086-138 1234 5678") == normalise("caller", "+86 13812345678") == "13812345678"
    assert normalise("phone", "0571-8888 6666") == "057188886666"
    assert normalise("openid", "  oAbC  ") == "oAbC"
