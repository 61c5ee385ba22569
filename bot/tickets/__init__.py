"""Tickets (工单): what a ticket holds, how it is numbered, stored and given its deadline, and the
rest of the closed loop.

  models.py, database.py, migrations/   tables and Alembic migrations (SQLite and PostgreSQL)
  store.py       opening tickets (idempotent per request key) and reading them
  lifecycle.py   statuses and which operation may move a ticket where (the one table of rules)
  workflow.py    dispatch, sign for, reassign, extend, return, reply, close, rate, assist — each one
                 transaction with an event in the history
  policy.py      time limits, extension, return and redo limits, warning cards (settings/policy.yml)
  warnings.py    green / yellow / red cards (seed 004)
  query.py       finding tickets by status, type, department, card and date
  views.py       a ticket as JSON, personal data masked by who is looking
  duplicates.py  is a new request the same matter as an open ticket of the same person?
  satisfaction.py  the three grades of a rating and how people say them
  lookup.py      what a citizen asking about a ticket is told
  departments.py the departments tickets go to (the routing catalogue)
  co_handlers.py the lead (牵头) and the co-handling departments (协办) of a ticket
  suggestion.py  the router's suggestion as stored on a ticket (old and new shapes)
  dispatch_queue.py  the office's manual dispatch queue
  corrections.py the office's corrections of the router, as labelled examples for retraining
"""
