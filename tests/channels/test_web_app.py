"""The web page server, in-process (aiohttp test client)."""
from aiohttp.test_utils import TestClient, TestServer

from channels.web.app import create_app


async def client() -> TestClient:
    test_client = TestClient(TestServer(create_app()))
    await test_client.start_server()
    return test_client


async def test_the_page_and_its_configuration_are_served():
    c = await client()
    try:
        page = await c.get("/")
        assert page.status == 200 and "<html" in (await page.text()).lower()
        config = await (await c.get("/config.json")).json()
        assert config["socket_path"] == "/socket.io" and config["rasa_url"].startswith("http://127.0.0.1")
        assert (await c.get("/vendor/socket.io.min.js")).status == 200
        assert (await c.get("/healthz")).status == 200
    finally:
        await c.close()


async def test_unknown_paths_and_traversal_are_refused():
    c = await client()
    try:
        assert (await c.get("/static/../app.py")).status in (403, 404)
        assert (await c.get("/nope")).status == 404
    finally:
        await c.close()
