"""The access log of every HTTP server of the project: the path only (query strings carry tokens,
phone digits and ticket numbers), masked like every other record."""
from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.web_log import AccessLogger

from bot.privacy import mask_text


class PathOnlyAccessLogger(AccessLogger):
    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        if not self.logger.isEnabledFor(logging.INFO):
            return
        self.logger.info(mask_text(f'{request.remote} "{request.method} {request.path}" '
                                   f'{response.status} {response.body_length} {time:.3f}'))
