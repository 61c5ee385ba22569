"""The restriction list (限制名单): callers who abuse the hotline — calling again and again without
reason, tying up the line, harassing, insulting or threatening its staff — may be restricted from
using it for at most 30 natural days (seed 004 (二)1; settings/limits.yml restriction_max_days).
Matters for the police go to the police; this is only the hotline's own measure.

    models.py   the restrictions table (migration 0004_restrictions)
    service.py  RestrictionList: add, lift, active, list, and the message said to the citizen

A restriction names a phone number, a WeChat openid, a phone caller id or a web chat user. The value
is kept only as a SHA-256 digest of its normalised form and a masked form for people, so the list
does not become one more copy of callers' numbers. Seats add and lift restrictions through the staff
API (channels/staff/api/restrictions.py) or operators with `hotline restrict`; each channel asks
RestrictionList.active() before serving a citizen.

Nothing here is imported at package level: the package stays importable where the database layer
is not (as bot/seats).
"""
