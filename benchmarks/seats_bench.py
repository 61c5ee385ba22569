"""Seat figures (median, p95):

  1. escalation -> queue: from a web-chat citizen sending 「转人工」 (socket.io, as the page does)
     to the conversation appearing in the seat console's queue API (GET /seats/api/queue);
  2. seat -> web chat: from a seat's POST /seats/api/conversations/{id}/messages to the citizen's
     socket.io client receiving the words (bot_uttered);
  3. seat -> WeChat: from the same POST to the WeChat API stand-in receiving the customer-service
     message (through the gateway's /seat/messages relay).

The console page polls the queue every console.poll_queue_ms (settings/seats.yml); figure 1 is the
server side, a seat sees the conversation at most one polling interval later.

Starts its own stack (Rasa, actions), web server with the console, WeChat gateway and API
stand-in on free loopback ports with a throw-away database, so it never touches a running
assistant. Loops are bounded: --escalations conversations, --messages seat messages per channel,
each wait at most 30 s.

    make bench    (or .venv/bin/python benchmarks/seats_bench.py --escalations 20 --messages 30)
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import aiohttp

from bot.settings import PROJECT_ROOT
from hotline.stack import Ports, Stack

sys.path.insert(0, str(PROJECT_ROOT))
from tests.support.seats.fixtures import RELAY_SECRET, start_staff, start_web  # noqa: E402
from tests.support.seats.fakes import STAFF_YAML, TOKENS  # noqa: E402
from tests.support.seats.socketio_client import SocketIOCitizen  # noqa: E402
from tests.support.wechat.gateway_process import start_gateway  # noqa: E402
from tests.support.wechat.standin import WeChatApiStandIn  # noqa: E402
from tests.support.wechat.wechat_side import APPID, APPSECRET, Citizen, WeChatServer  # noqa: E402

WAIT = 30.0


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(name: str, seconds: List[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (f"{name:<34} n={len(ms):<3} median {statistics.median(ms):7.1f} ms   p95 {percentile(ms, 0.95):7.1f} ms"
            f"   max {max(ms):7.1f} ms")


class Console:
    """The seat console's API, as the page uses it."""

    def __init__(self, http: aiohttp.ClientSession, base: str, seat: str = "王芳"):
        self.http, self.base = http, base.rstrip("/") + "/seats/api"
        self.headers = {"Authorization": f"Bearer {TOKENS[seat]}"}

    async def call(self, method: str, path: str, body=None) -> Dict:
        async with self.http.request(method, self.base + path, json=body, headers=self.headers) as response:
            data = await response.json()
            if response.status != 200:
                raise RuntimeError(f"{method} {path}: {response.status} {data}")
            return data

    async def appeared(self, sender_id: str) -> Dict:
        deadline = time.perf_counter() + WAIT
        while time.perf_counter() < deadline:
            for entry in (await self.call("GET", "/queue"))["waiting"]:
                if entry["sender_id"] == sender_id:
                    return entry
            await asyncio.sleep(0.005)
        raise TimeoutError(f"{sender_id} never reached the queue")


async def escalations(web_url: str, console: Console, count: int) -> List[float]:
    """Figure 1; the conversations are then handed back so the queue stays short."""
    timings = []
    for _ in range(count):
        citizen = await SocketIOCitizen(web_url).connect()
        try:
            started = time.perf_counter()
            await citizen.say("转人工")
            entry = await console.appeared(citizen.session_id)
            timings.append(time.perf_counter() - started)
            await citizen.wait_text("人工客服", WAIT)
            await console.call("POST", f"/queue/{entry['id']}/claim")
            await console.call("POST", f"/conversations/{entry['id']}/handback")
        finally:
            await citizen.close()
    return timings


async def seat_to_web(web_url: str, console: Console, count: int) -> List[float]:
    citizen = await SocketIOCitizen(web_url).connect()
    try:
        await citizen.say("转人工")
        entry = await console.appeared(citizen.session_id)
        await console.call("POST", f"/queue/{entry['id']}/claim")
        timings = []
        for n in range(count):
            text = f"网页测试消息第{n}条"
            started = time.perf_counter()
            await console.call("POST", f"/conversations/{entry['id']}/messages", {"text": text})
            arrived = await citizen.wait_text(text, WAIT)
            timings.append(arrived - started)
        await console.call("POST", f"/conversations/{entry['id']}/handback")
        return timings
    finally:
        await citizen.close()


async def seat_to_wechat(gateway_url: str, api: WeChatApiStandIn, console: Console, count: int) -> List[float]:
    citizen = Citizen(WeChatServer(gateway_url))
    await asyncio.to_thread(citizen.say, "转人工")
    entry = await console.appeared(f"wechat:{citizen.openid}")
    await console.call("POST", f"/queue/{entry['id']}/claim")
    timings = []
    for n in range(count):
        text = f"微信测试消息第{n}条"
        started = time.time()   # the stand-in stamps what it receives with time.time()
        await console.call("POST", f"/conversations/{entry['id']}/messages", {"text": text})
        deadline = time.perf_counter() + WAIT
        while True:
            sent = [m for m in api.sent_to(citizen.openid) if text in m["text"]["content"]]
            if sent:
                timings.append(sent[0]["at"] - started)
                break
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{text} never reached the stand-in")
            await asyncio.sleep(0.005)
    await console.call("POST", f"/conversations/{entry['id']}/handback")
    return timings


async def measure(stack: Stack, web_url: str, staff_url: str, gateway_url: str, api: WeChatApiStandIn,
                  args) -> Dict[str, List[float]]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=WAIT)) as http:
        console = Console(http, staff_url)
        await escalations(web_url, console, 2)   # warm-up: first action calls, DB connections
        return {
            "escalation -> console queue (web)": await escalations(web_url, console, args.escalations),
            "seat message -> web chat citizen": await seat_to_web(web_url, console, args.messages),
            "seat message -> WeChat citizen": await seat_to_wechat(gateway_url, api, console, args.messages),
        }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--escalations", type=int, default=20, help="conversations escalated (figure 1)")
    parser.add_argument("--messages", type=int, default=30, help="seat messages per channel (figures 2, 3)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="seats-bench-"))
    database = f"sqlite:///{folder / 'tickets.db'}"
    (folder / "staff.yml").write_text(STAFF_YAML, encoding="utf-8")
    print("启动助手（Rasa、动作服务器）…", flush=True)
    stack = Stack(ports=Ports.free(), run_dir=folder / "run", env={"HOTLINE_DATABASE_URL": database},
                  say=lambda _m: None)
    api = WeChatApiStandIn(APPID, APPSECRET).start()
    processes = []
    try:
        stack.start()
        gateway = start_gateway(stack.rasa_url, api.url, folder, {"HOTLINE_GATEWAY_SECRET": RELAY_SECRET}, "bench")
        processes.append(gateway)
        staff = start_staff({"HOTLINE_RASA_URL": stack.rasa_url, "HOTLINE_DATABASE_URL": database,
                             "HOTLINE_STAFF_TOKENS_FILE": str(folder / "staff.yml"),
                             "HOTLINE_WECHAT_GATEWAY_URL": f"http://127.0.0.1:{gateway.port}",
                             "HOTLINE_GATEWAY_SECRET": RELAY_SECRET}, folder)
        processes.append(staff)
        web = start_web({"HOTLINE_RASA_URL": stack.rasa_url, "HOTLINE_DATABASE_URL": database}, folder)
        processes.append(web)
        figures = asyncio.run(measure(stack, web.url, staff.url, gateway.url, api, args))
    finally:
        for process in processes:
            process.stop()
        stack.stop()
        api.stop()
    print("\n人工坐席 (seats), loopback, one request at a time:")
    for name, seconds in figures.items():
        print(summary(name, seconds))
    print("(the console page polls the queue every poll_queue_ms of settings/seats.yml on top of figure 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
