"""The web page server, in-process (aiohttp test client)."""
import asyncio

from aiohttp.test_utils import TestClient, TestServer

from channels.web import identity
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
        response = await c.get("/config.json")
        config = await response.json()
        # the chat socket is this server's own: the page is never handed Rasa's address
        assert config["socket_path"] == "/socket.io" and config["rasa_url"] == ""
        cookie = response.cookies[identity.COOKIE]
        assert identity.verified(cookie.value) and cookie["httponly"] and cookie["samesite"] == "Strict"
        assert "connect-src 'self'" in response.headers["Content-Security-Policy"]
        assert (await c.get("/vendor/socket.io.min.js")).status == 200
        assert (await c.get("/healthz")).status == 200
    finally:
        await c.close()


async def raw_get(port: int, path: str) -> int:
    """A request line sent as written: aiohttp's client would normalise "/static/../x" first."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    body = await reader.read()
    writer.close()
    assert b"hotline_settings" not in body and b"import" not in body     # no source file leaked
    return int(status_line.split()[1])


async def test_unknown_paths_and_traversal_are_refused():
    c = await client()
    try:
        for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                     "/static/%2e%2e%2f%2e%2e%2fsettings/hotline.yml", "/static//etc/passwd"):
            assert await raw_get(c.port, path) in (400, 403, 404), path
        assert (await c.get("/nope")).status == 404
    finally:
        await c.close()
