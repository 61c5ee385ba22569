"""Is this caller restricted now? The one question every channel asks, answered from the database.

    refusal(("phone", "caller"), "13812345678")   # -> the sentence to say, or None

Channels call it on what really identifies the caller there: the WeChat gateway on the openid,
the voice gateway on the caller number, the web server on the session, ticket opening on the
contact phone. A restriction on a phone number also holds for calls from it (phone and caller are
one number). If the database cannot be asked, nobody is refused for it: the list is against abuse
and must not take the hotline down with it.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Iterable, Optional

from sqlalchemy.exc import SQLAlchemyError

from bot.restrictions.models import CALLER, OPENID, PHONE, WEB  # noqa: F401 - the kinds channels ask about
from bot.settings import hotline_settings

logger = logging.getLogger(__name__)

NUMBER_KINDS = (PHONE, CALLER)


def _restrictions():
    return _restrictions_on(hotline_settings().database_url)


@lru_cache(maxsize=4)
def _restrictions_on(database_url: str):
    from bot.restrictions.service import RestrictionList
    from bot.tickets.database import make_engine
    return RestrictionList(make_engine(database_url))


def refusal(kinds: Iterable[str], value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    try:
        restrictions = _restrictions()
        for kind in kinds:
            found = restrictions.active(kind, value)
            if found is not None:
                return restrictions.message(found)
    except SQLAlchemyError:
        logger.warning("restriction list unavailable: not checking")
    return None


def phone_refusal(phone: str) -> Optional[str]:
    """For ticket opening: a contact phone restricted as a phone or as a caller number."""
    return refusal(NUMBER_KINDS, phone)
