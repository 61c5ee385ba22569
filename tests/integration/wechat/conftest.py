"""The running WeChat gateway against the session's assistant."""
from tests.support.wechat.fixtures import (citizen, gateway, launch, redis_prefix, redis_server_url, server, wechat_api, wechat_folder)  # noqa: F401 - fixtures
