"""Attack tests reuse the fixtures of the parts they attack (the running WeChat gateway and its
stand-in of WeChat's API; the web server with the seat console and staff API)."""
from tests.support.seats.fixtures import (seat_client, seat_folder, seat_gateway, seat_web, seat_wechat_api, staff_tokens_file)  # noqa: F401 - fixtures
from tests.support.wechat.fixtures import (citizen, gateway, launch, redis_prefix, redis_server_url, server, wechat_api, wechat_folder)  # noqa: F401 - fixtures
