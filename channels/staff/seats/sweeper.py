"""Waits nobody answered: every few seconds (settings/seats.yml queue.sweep_seconds) the web server
gives conversations that waited longer than queue.max_wait_minutes back to the assistant, which
offers a ticket and a call back. Several web servers may sweep at once: each expired wait is
claimed by exactly one of them (an atomic UPDATE in SeatQueue.expire_waiting)."""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from channels.staff.seats.context import CONTEXT_KEY

logger = logging.getLogger(__name__)
TASK_KEY = web.AppKey("hotline_seat_sweeper", asyncio.Task)


async def _sweep_forever(app: web.Application) -> None:
    console = app[CONTEXT_KEY].console
    while True:
        await asyncio.sleep(console.settings.sweep_seconds)
        try:
            expired = await console.sweep()
            if expired:
                logger.info("%d conversation(s) waited too long and went back to the assistant", expired)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the database may be down for a while; try again later
            logger.exception("sweeping the seat queue failed")


async def start(app: web.Application) -> None:
    app[TASK_KEY] = asyncio.create_task(_sweep_forever(app))


async def stop(app: web.Application) -> None:
    task = app.get(TASK_KEY)
    if task is not None:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
    await app[CONTEXT_KEY].console.delivery.close()
