"""Schema changes are migrations: a database made by revision 0001, with tickets in it, is brought to
the current schema without losing a ticket or a line of its history, on SQLite and PostgreSQL."""
import datetime as dt

from sqlalchemy import text

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from bot.tickets.workflow import TicketWorkflow
from tests.support.tickets import POLICY, SEAT

OPENED = '{"channel": "web", "routing": {"department": {"id": "chengguan", "name": "市城市管理综合执法局"}}}'


def test_tickets_made_before_the_lifecycle_migration_survive_it_and_can_go_on(database_url):
    engine = make_engine(database_url)
    migrate(engine, "0001")
    now = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.timezone.utc)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO tickets (number, request_key, request_type, status, text, facts, channel, sender_id,"
            " contact_name, contact_phone, consent_to_share, anonymous, department, created_at, deadline) VALUES"
            " ('202611200001', 'old-1', 'complain', 'accepted', '路灯坏了', '{}', 'web', 'u-1', '张先生',"
            " '13812345678', true, false, '市城市管理综合执法局', :now, :deadline)"),
            {"now": now, "deadline": dt.date(2026, 12, 4)})
        connection.execute(text("INSERT INTO ticket_events (ticket_id, at, actor, action, detail)"
                                " SELECT id, :now, 'assistant', 'opened', :detail FROM tickets"),
                           {"now": now, "detail": OPENED})
    migrate(engine)
    migrate(engine)          # every start runs it again: nothing happens the second time

    store = TicketStore(engine, policy=POLICY, timezone="Asia/Shanghai")
    ticket = store.get("202611200001")
    assert ticket.text == "路灯坏了" and ticket.contact_phone == "13812345678"
    assert [e.action for e in ticket.events] == ["opened"]
    assert ticket.department_id == "chengguan" and ticket.redo_count == 0 and ticket.version == 1
    assert TicketWorkflow(store).dispatch("202611200001", "chengguan", SEAT).status == "dispatched"
    engine.dispose()


def test_tickets_made_before_co_handlers_read_as_having_none_and_can_be_dispatched_with_some(database_url):
    engine = make_engine(database_url)
    migrate(engine, "0006_seat_service_ratings")
    store = TicketStore(engine, policy=POLICY, timezone="Asia/Shanghai")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO tickets (number, request_key, request_type, status, text, facts, channel, sender_id,"
            " consent_to_share, anonymous, department, department_id, created_at, deadline, extended_days,"
            " redo_count, version) VALUES ('202612010001', 'old-2', 'complain', 'accepted', '占道经营', '{}',"
            " 'web', 'u-2', false, true, '市城市管理综合执法局', 'chengguan', :now, :deadline, 0, 0, 1)"),
            {"now": dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.timezone.utc), "deadline": dt.date(2026, 12, 15)})
    migrate(engine)
    migrate(engine)

    old = store.get("202612010001")
    assert old.co_departments is None and old.text == "占道经营"
    ticket = TicketWorkflow(store).dispatch("202612010001", "chengguan", SEAT, co_handlers=["gongan"])
    assert ticket.co_departments == [{"id": "gongan", "name": "市公安局"}]
    engine.dispose()
