"""Human seats against the running stack: the web server with the console, a WeChat gateway."""
from tests.support.seats.fixtures import (seat_client, seat_folder, seat_gateway, seat_web, seat_wechat_api, staff_tokens_file)  # noqa: F401 - fixtures
