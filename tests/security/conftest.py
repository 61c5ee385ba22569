"""Attack tests reuse the fixtures of the parts they attack (the running WeChat gateway and its
stand-in of WeChat's API)."""
from tests.wechat.conftest import citizen, gateway, launch, server, wechat_api, wechat_folder  # noqa: F401
from tests.seats.conftest import (seat_client, seat_folder, seat_gateway, seat_wechat_api,  # noqa: F401
                                  seat_web, staff_tokens_file)
