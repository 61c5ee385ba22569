"""WeChat gateway figures: passive-reply time (median, p95, p99) with 20 concurrent WeChat users
each filing a complaint to the end, and the share of messages answered in the passive reply within
WeChat's five seconds (the rest go out by the customer-service API, here a local stand-in).

Starts its own stack (Rasa, actions) and gateway on free loopback ports with a throw-away ticket
database, so it never touches a running assistant. Request loops are bounded: users × rounds
conversations of at most 12 messages, each with a 30 s timeout.

    make bench    (or .venv/bin/python benchmarks/wechat_bench.py --users 20 --rounds 2)
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import aiohttp
import xmltodict

from bot.settings import PROJECT_ROOT
from channels.rasa_client import channel_headers
from channels.wechat import replies
from hotline.stack import Ports, Stack

sys.path.insert(0, str(PROJECT_ROOT))
from tests.support.wechat.gateway_process import start_gateway  # noqa: E402
from tests.support.wechat.dialogue import ANSWERS, COMPLAINT, TICKET  # noqa: E402
from tests.support.wechat.standin import WeChatApiStandIn  # noqa: E402
from tests.support.wechat.wechat_side import APPID, APPSECRET, TOKEN, message_xml, new_msg_id, new_openid, sign  # noqa: E402

FIVE_SECONDS = 5.0
MAX_STEPS = 12


@dataclass
class Figures:
    timings: List[float] = field(default_factory=list)       # seconds per request
    passive: int = 0            # answered in the passive reply
    deferred: int = 0           # "success", answered by customer-service message
    failed: int = 0             # HTTP error, timeout or unexpected dialogue
    tickets: List[str] = field(default_factory=list)
    elapsed: float = 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class WeChatUser:
    def __init__(self, session: aiohttp.ClientSession, url: str, api: WeChatApiStandIn, figures: Figures):
        self.session, self.url, self.api, self.figures = session, url, api, figures
        self.openid = new_openid()

    async def say(self, text: str) -> Optional[str]:
        timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
        query = {"signature": sign(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
        body = message_xml(self.openid, "text", {"Content": text}, new_msg_id()).encode()
        delivered_before = len(self.api.sent_to(self.openid))
        started = time.perf_counter()
        try:
            async with self.session.post(self.url, params=query, data=body) as response:
                answer = await response.text()
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError):
            self.figures.failed += 1
            return None
        self.figures.timings.append(time.perf_counter() - started)
        if status != 200:
            self.figures.failed += 1
            return None
        if answer.strip() == "success":
            self.figures.deferred += 1
            return await self._customer_service_answer(delivered_before)
        self.figures.passive += 1
        return xmltodict.parse(answer)["xml"].get("Content") or ""

    async def _customer_service_answer(self, delivered_before: int) -> Optional[str]:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            sent = self.api.sent_to(self.openid)
            if len(sent) > delivered_before:
                return "\n".join(m["text"]["content"] for m in sent[delivered_before:])
            await asyncio.sleep(0.1)
        return None

    async def file_a_complaint(self) -> None:
        text = await self.say(COMPLAINT)
        for _ in range(MAX_STEPS):
            if text is None:
                return
            if "请核对" in text:
                text = await self.say("1")
                match = TICKET.search(text or "")
                if match:
                    self.figures.tickets.append(match.group(1))
                else:
                    self.figures.failed += 1
                return
            if "回复1：同意" in text:
                text = await self.say("1")
                continue
            answer = next((a for words, a in ANSWERS if any(w in text for w in words)), None)
            if answer is None:
                self.figures.failed += 1
                return
            text = await self.say(answer)
        self.figures.failed += 1


class RasaUser(WeChatUser):
    """The same citizen talking to Rasa's REST channel directly, without the gateway: the gateway's
    own cost is the difference. Replies are rendered and "1" mapped as the gateway does."""

    def __init__(self, session, url, api, figures):
        super().__init__(session, url, api, figures)
        self.options = []

    async def say(self, text: str) -> Optional[str]:
        payload = {"sender": f"bench:{self.openid}", "message": replies.choose(text, self.options) or text,
                   "metadata": {"channel": "bench"}}
        started = time.perf_counter()
        try:
            async with self.session.post(self.url, json=payload, headers=channel_headers()) as response:
                answer = await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            self.figures.failed += 1
            return None
        self.figures.timings.append(time.perf_counter() - started)
        self.figures.passive += 1
        rendered = replies.render(answer)
        self.options = rendered.options
        return rendered.text


async def run_users(url: str, api: WeChatApiStandIn, users: int, rounds: int, kind=WeChatUser) -> Figures:
    figures = Figures()
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=users * 2)) as session:
        async def one_user() -> None:
            for _ in range(rounds):
                await kind(session, url, api, figures).file_a_complaint()
        started = time.perf_counter()
        await asyncio.gather(*(one_user() for _ in range(users)))
        figures.elapsed = time.perf_counter() - started
    return figures


def report(title: str, figures: Figures) -> None:
    timings = figures.timings
    answered = len(timings)
    within = sum(1 for t in timings if t <= FIVE_SECONDS)
    passive_share = figures.passive / answered if answered else 0.0
    print(f"\n{title}")
    print(f"  requests {answered}, passive replies {figures.passive} ({passive_share:.1%}), "
          f"deferred to customer-service {figures.deferred}, failed {figures.failed}, "
          f"tickets opened {len(figures.tickets)} ({len(set(figures.tickets))} distinct)")
    if answered:
        print(f"  reply time: median {statistics.median(timings) * 1000:.0f} ms, "
              f"p95 {percentile(timings, 0.95) * 1000:.0f} ms, p99 {percentile(timings, 0.99) * 1000:.0f} ms, "
              f"max {max(timings) * 1000:.0f} ms; {answered / figures.elapsed:.1f} requests/s")
        print(f"  HTTP answer within 5 s: {within / answered:.1%}; "
              f"answered with content in the passive reply within 5 s: {passive_share:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20, help="concurrent WeChat users")
    parser.add_argument("--rounds", type=int, default=2, help="complaints filed by each user, one after another")
    parser.add_argument("--budget", type=float, default=4.0, help="WECHAT_REPLY_BUDGET of the gateway (seconds)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hotline-wechat-bench-"))
    stack = Stack(ports=Ports.free(), run_dir=folder, env={"HOTLINE_DATABASE_URL": f"sqlite:///{folder}/bench.db"},
                  say=lambda msg: print(msg, flush=True))
    api = WeChatApiStandIn(APPID, APPSECRET).start()
    gateway = None
    started = time.perf_counter()
    stack.start()
    try:
        gateway = start_gateway(stack.rasa_url, api.url, folder, {"WECHAT_REPLY_BUDGET": str(args.budget)}, "bench")
        print(f"stack and gateway ready in {time.perf_counter() - started:.1f} s (gateway log: {gateway.log_path})")
        rasa_webhook = f"{stack.rasa_url}/webhooks/rest/webhook"
        # Warm-up: the first conversations after start are slower (model graph, connection pools).
        asyncio.run(run_users(gateway.url, api, 1, 1))
        asyncio.run(run_users(rasa_webhook, api, args.users, 1, kind=RasaUser))
        single = asyncio.run(run_users(gateway.url, api, 1, args.rounds))
        report(f"1 WeChat user, {args.rounds} complaint(s):", single)
        cpu_before = cpu_seconds(gateway.process.pid)
        crowd = asyncio.run(run_users(gateway.url, api, args.users, args.rounds))
        gateway_cpu = cpu_seconds(gateway.process.pid) - cpu_before
        report(f"{args.users} concurrent WeChat users, {args.rounds} complaint(s) each "
               f"(reply budget {args.budget} s):", crowd)
        print(f"  gateway process CPU: {gateway_cpu:.2f} s in all, "
              f"{gateway_cpu / max(1, len(crowd.timings)) * 1000:.1f} ms per request")
        direct = asyncio.run(run_users(rasa_webhook, api, args.users, args.rounds, kind=RasaUser))
        report(f"for comparison, the same {args.users} users on Rasa's REST channel without the gateway "
               "(every reply counted as passive):", direct)
        print(f"\naccess token requests to the API stand-in: {api.token_request_count()}")
    finally:
        if gateway is not None:
            gateway.stop()
        api.stop()
        stack.stop()


if __name__ == "__main__":
    main()
