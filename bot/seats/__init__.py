"""Human seats (人工坐席): when the assistant steps aside, the queue of escalated conversations,
seat hours, and what a seat's hold on a conversation is stored as.

Plain Python, importable from both environments (the Rasa NLU component imports triggers.py on
Python 3.10 with SQLAlchemy 1.4, so nothing here imports the database layer at package level):

    settings.py  settings/seats.yml and settings/escalation.yml
    reasons.py   why a conversation was escalated, in words for seats and citizens
    triggers.py  distress, anger and matters needing a person, from the message text
    hours.py     whether seats answer now, and the hours in words
    models.py    the seat_queue table (migration 0003_seats)
    queue.py     SeatQueue: enqueue, position, atomic claim by one seat, hand back, expiry
    tickets.py   tickets a seat opens or updates, and the seat's words in the ticket's history
    prefill.py   place, time, name and phone from everything the citizen said, for the ticket form
    outcomes.py  how a seat closed a conversation (seat_outcomes, 0005) and the seat's figures for the day

The phone: the voice gateway turns a hand-off into a transfer. The assistant's reply to an
escalation on the voice channel carries a transfer event to "seat" (bot/channel_events.py, sent
by actions/seats.py); the gateway hands the call to the seats' telephone queue.
"""
