"""Warning cards (seed 004): green on time, yellow one working day before the deadline (eight hours
for consultations), red when overdue — for every open ticket, and as a filter that agrees."""
import datetime as dt

from bot.tickets import query, views, warnings
from tests.support.tickets import HANDLER, POLICY, SEAT, SHANGHAI, open_ticket


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_cards_of_a_complaint_and_a_consultation_as_time_goes_by():
    # A complaint due Monday 7 December: yellow from the working day before (Friday 4th).
    complaint = [(at(2026, 12, 3, 18, 0), "green"), (at(2026, 12, 4, 9, 0), "yellow"),
                 (at(2026, 12, 6, 12, 0), "yellow"), (at(2026, 12, 7, 23, 0), "yellow"), (at(2026, 12, 8, 0, 1), "red")]
    for moment, colour in complaint:
        assert warnings.card(POLICY, "in_progress", "complain", dt.date(2026, 12, 7), moment) == colour, moment
    # A consultation due Thursday 26 November: yellow only in its last eight hours.
    consult = [(at(2026, 11, 26, 15, 59), "green"), (at(2026, 11, 26, 16, 0), "yellow"),
               (at(2026, 11, 27, 0, 0), "red")]
    for moment, colour in consult:
        assert warnings.card(POLICY, "dispatched", "consult", dt.date(2026, 11, 26), moment) == colour, moment


def test_an_answered_ticket_is_green_and_a_closed_one_has_no_card():
    late = at(2027, 1, 1, 9, 0)
    assert warnings.card(POLICY, "replied", "complain", dt.date(2026, 12, 7), late) == "green"
    assert warnings.card(POLICY, "closed", "complain", dt.date(2026, 12, 7), late) is None


def test_the_card_filter_finds_exactly_the_tickets_showing_that_card(store, workflow, clock):
    complaint = open_ticket(store, key="a")                              # due 7 December
    consultation = open_ticket(store, key="b", request_type="consult")  # due 26 November
    answered = open_ticket(store, key="c", request_type="consult")
    workflow.dispatch(answered, "chengguan", SEAT)
    workflow.reply(answered, "已答复", HANDLER, scope="chengguan")
    moments = [(at(2026, 11, 26, 17, 0), {"green": {complaint, answered}, "yellow": {consultation}}),
               (at(2026, 12, 7, 9, 0), {"yellow": {complaint}, "red": {consultation}, "green": {answered}})]
    for moment, expected in moments:
        for colour in warnings.COLOURS:
            found, total = query.search(store, query.TicketQuery(cards=(colour,)), local_now=moment)
            assert {t.number for t in found} == expected.get(colour, set()), (moment, colour)
            assert total == len(found)
            assert all(views.card(store, t, moment) == colour for t in found)
