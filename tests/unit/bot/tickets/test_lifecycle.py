"""The closed loop of a ticket: dispatch, sign for, reassign, extend, return, answer, close — each
change in the history with who and when, and every refusal in words a member of staff understands."""
import datetime as dt
import threading

import pytest

from bot.tickets.errors import TicketError, TicketNotFound, TransitionError
from bot.tickets.reviews import TicketReviews
from tests.support.tickets import HANDLER, SEAT, open_ticket

OFFICE = "热线办:孙丽"


def test_a_ticket_goes_round_the_whole_loop_and_its_history_says_who_did_what_when(store, workflow, clock):
    number = open_ticket(store)
    workflow.dispatch(number, "chengguan", SEAT)
    clock.set(2026, 11, 23, 14, 30)
    workflow.accept(number, HANDLER, scope="chengguan")
    workflow.reply(number, "已约谈店主，改为晚上十点前收摊。", HANDLER, scope="chengguan")
    ticket = workflow.close(number, SEAT)

    assert ticket.status == "closed" and ticket.department == "市城市管理综合执法局"
    assert ticket.answer.startswith("已约谈店主")
    actions = [(e.action, e.actor) for e in ticket.events]
    assert actions == [("opened", "assistant"), ("dispatch", SEAT), ("accept", HANDLER), ("reply", HANDLER),
                       ("close", SEAT)]
    accepted = ticket.events[2]
    # Stored in UTC, shown in the hotline's time zone.
    assert store.local_time(accepted.at) == dt.datetime(2026, 11, 23, 14, 30, tzinfo=store.zone)
    stored = accepted.at if accepted.at.tzinfo else accepted.at.replace(tzinfo=dt.timezone.utc)
    assert stored.astimezone(dt.timezone.utc).hour == 6
    assert accepted.detail["status"] == "in_progress"


def test_an_accepted_ticket_cannot_skip_dispatch(store, workflow):
    number = open_ticket(store)
    skipping = [lambda: workflow.close(number, SEAT), lambda: workflow.reply(number, "答复", SEAT),
                lambda: workflow.accept(number, HANDLER),
                lambda: workflow.return_ticket(number, "不属于本单位职责", HANDLER)]
    for attempt in skipping:
        with pytest.raises(TransitionError) as refused:
            attempt()
        assert "当前状态为“已受理”" in str(refused.value) and "当前可以：派单" in str(refused.value)
    assert [e.action for e in store.get(number).events] == ["opened"]     # nothing half-done


def test_dispatching_to_a_department_outside_the_catalogue_is_refused(store, workflow):
    number = open_ticket(store)
    with pytest.raises(TicketError, match="部门目录中没有“市魔法部”"):
        workflow.dispatch(number, "市魔法部", SEAT)
    ticket = workflow.dispatch(number, "市城市管理综合执法局", SEAT)     # names work as well as ids
    assert ticket.department_id == "chengguan"


def test_a_department_returns_a_ticket_within_one_working_day_with_its_reason(store, workflow, clock):
    number = open_ticket(store)
    workflow.dispatch(number, "chengguan", SEAT)             # Monday
    clock.set(2026, 11, 24, 17, 0)                            # Tuesday: one working day later
    ticket = workflow.return_ticket(number, "噪声扰民属公安机关职责", HANDLER, scope="chengguan")
    # A request: the department keeps the ticket until the office reviews it (reviews.py).
    assert ticket.status == "dispatched" and ticket.department_id == "chengguan"
    assert ticket.events[-1].detail == {"department": "市城市管理综合执法局", "department_id": "chengguan",
                                        "reason": "噪声扰民属公安机关职责", "status": "dispatched"}
    ticket = TicketReviews(workflow).decide_return(number, True, "同意，改派公安", OFFICE)
    assert ticket.status == "returned" and ticket.department is None
    ticket = workflow.reassign(number, "gongan", "噪声扰民由公安机关处理", SEAT)
    assert ticket.status == "dispatched" and ticket.department == "市公安局"


def test_returning_too_late_or_without_a_reason_is_refused(store, workflow, clock):
    number = open_ticket(store)
    workflow.dispatch(number, "chengguan", SEAT)             # Monday
    with pytest.raises(TicketError, match="退单理由"):
        workflow.return_ticket(number, "  ", HANDLER, scope="chengguan")
    clock.set(2026, 11, 25, 9, 0)                             # Wednesday: two working days later
    with pytest.raises(TransitionError, match="派单后1个工作日内"):
        workflow.return_ticket(number, "不属于本单位职责", HANDLER, scope="chengguan")


def test_extensions_add_working_days_up_to_the_configured_limit(store, workflow, clock):
    number = open_ticket(store)                               # complaint: due Monday 7 December
    workflow.dispatch(number, "chengguan", SEAT)
    # A department asks; the deadline moves when the office approves (reviews.py).
    assert workflow.extend(number, 10, "需要现场测量噪声", HANDLER, scope="chengguan").deadline == dt.date(2026, 12, 7)
    ticket = TicketReviews(workflow).decide_extension(number, True, "同意", OFFICE)
    assert ticket.deadline == dt.date(2026, 12, 21) and ticket.extended_days == 10
    with pytest.raises(TicketError, match="最多还能延期5个工作日"):
        workflow.extend(number, 6, "还要再等", HANDLER, scope="chengguan")
    assert workflow.extend(number, 5, "等待检测报告", SEAT).deadline == dt.date(2026, 12, 28)
    clock.set(2026, 12, 29, 9, 0)
    with pytest.raises(TransitionError, match="期限届满前"):
        workflow.extend(number, 1, "逾期", SEAT)


def test_a_reassignment_needs_another_department_and_a_reason(store, workflow):
    number = open_ticket(store)
    workflow.dispatch(number, "chengguan", SEAT)
    with pytest.raises(TicketError, match="已由市城市管理综合执法局承办"):
        workflow.reassign(number, "chengguan", "重新派", SEAT)
    with pytest.raises(TicketError, match="改派理由"):
        workflow.reassign(number, "gongan", "", SEAT)


def test_a_department_cannot_touch_another_departments_ticket(store, workflow):
    number = open_ticket(store)
    workflow.dispatch(number, "gongan", SEAT)
    with pytest.raises(TicketNotFound):
        workflow.reply(number, "已处理", HANDLER, scope="chengguan")
    with pytest.raises(TicketNotFound):
        workflow.accept("209901010001", HANDLER, scope="chengguan")


def test_two_people_acting_at_once_cannot_both_win(store, workflow):
    number = open_ticket(store)
    workflow.dispatch(number, "chengguan", SEAT)
    results = []

    def sign_for(who):
        try:
            workflow.accept(number, f"承办人:{who}", scope="chengguan")
            results.append("signed")
        except TransitionError as refused:
            results.append(str(refused))

    threads = [threading.Thread(target=sign_for, args=(f"第{i}位",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("signed") == 1, results
    assert all("当前状态为“办理中”" in r for r in results if r != "signed")
    assert [e.action for e in store.get(number).events].count("accept") == 1
