"""Dialogue figures: REST webhook latency for 1 and 8 concurrent conversations, /model/parse
latency, and the resident memory of each process. Starts its own stack on free ports with a
throw-away ticket database, so it never touches the data of a running assistant.

    make bench        (or .venv/bin/python benchmarks/dialogue_bench.py --rounds 3)
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import List

import aiohttp

from bot.settings import hotline_settings
from channels.rasa_client import channel_headers
from hotline.stack import Ports, Stack

# One realistic intake per conversation: greeting, complaint, facts, confirmation.
SCRIPT = ["你好", "我要投诉楼下烧烤摊，每天吵到半夜两点", "和平区人民路88号", "每天晚上十一点以后",
          "老王烧烤店", "张先生", "13812345678", "/affirm", "/affirm", "救命，隔壁着火了"]
PARSE_TEXTS = ["我要投诉物业乱收费", "请问社保卡怎么补办", "路灯坏了", "楼下着火了", "帮我查一下工单202611220001"]


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (Rasa forks none, but be safe)."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(fields.get("Tgid", "0")) == pid or int(fields.get("PPid", "0")) == pid:
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


async def converse(session: aiohttp.ClientSession, url: str, timings: List[float]) -> None:
    sender = f"bench-{uuid.uuid4().hex[:8]}"
    for text in SCRIPT:
        start = time.perf_counter()
        async with session.post(url, json={"sender": sender, "message": text}, headers=channel_headers()) as response:
            await response.read()
            response.raise_for_status()
        timings.append((time.perf_counter() - start) * 1000)


async def webhook_figures(rasa_url: str, concurrency: int, rounds: int) -> dict:
    url = f"{rasa_url}/webhooks/rest/webhook"
    timings: List[float] = []
    async with aiohttp.ClientSession() as session:
        start = time.perf_counter()
        for _ in range(rounds):
            await asyncio.gather(*(converse(session, url, timings) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return {"median": statistics.median(timings), "p95": percentile(timings, 0.95),
            "requests": len(timings), "per_second": len(timings) / elapsed}


async def parse_figures(rasa_url: str, repeats: int) -> dict:
    timings = []
    async with aiohttp.ClientSession() as session:
        for i in range(repeats):
            start = time.perf_counter()
            async with session.post(f"{rasa_url}/model/parse", json={"text": PARSE_TEXTS[i % len(PARSE_TEXTS)]},
                                    params={"token": hotline_settings().rasa_token}) as r:
                await r.read()
            timings.append((time.perf_counter() - start) * 1000)
    return {"median": statistics.median(timings), "p95": percentile(timings, 0.95)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="conversations per concurrent client")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    stack = Stack(ports=Ports.free(), run_dir=folder, env={"HOTLINE_DATABASE_URL": f"sqlite:///{folder}/bench.db"},
                  say=lambda msg: print(msg, flush=True))
    started = time.perf_counter()
    stack.start()
    print(f"stack ready in {time.perf_counter() - started:.1f} s")
    try:
        asyncio.run(webhook_figures(stack.rasa_url, 1, 1))   # warm-up
        parse = asyncio.run(parse_figures(stack.rasa_url, 200))
        print(f"\n/model/parse: median {parse['median']:.1f} ms, p95 {parse['p95']:.1f} ms (200 requests)")
        for concurrency in (1, 8):
            figures = asyncio.run(webhook_figures(stack.rasa_url, concurrency, args.rounds))
            print(f"REST webhook, {concurrency} concurrent conversation(s): median {figures['median']:.0f} ms, "
                  f"p95 {figures['p95']:.0f} ms, {figures['per_second']:.1f} requests/s "
                  f"({figures['requests']} requests)")
        print("\nresident memory:")
        for name, pid in stack.pids().items():
            print(f"  {name:<8} {rss_mb(pid):7.0f} MB")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
