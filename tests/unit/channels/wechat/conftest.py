"""The WeChat gateway's own parts (no running assistant): Redis for the shared state."""
from tests.support.wechat.fixtures import redis_prefix, redis_server_url  # noqa: F401 - fixtures
