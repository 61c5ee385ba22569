"""`python -m channels.voice`: the voice gateway (WebSocket 127.0.0.1:8091, AudioSocket 127.0.0.1:9092).

Options override the environment variables described in channels/voice/config.py.
"""
from __future__ import annotations

import argparse
import asyncio
import signal

from bot.privacy import setup_process_logging
from channels.voice.config import load_config
from channels.voice.gateway import Gateway


def main(argv=None) -> None:
    config = load_config()
    parser = argparse.ArgumentParser(description="12345 voice gateway (AudioSocket + WebSocket)")
    parser.add_argument("--host", default=config.host)
    parser.add_argument("--ws-port", type=int, default=config.ws_port)
    parser.add_argument("--audiosocket-port", type=int, default=config.audiosocket_port)
    parser.add_argument("--engine", choices=["whisper", "vosk"], default=config.asr_engine)
    parser.add_argument("--vosk-model", default=str(config.vosk_model or ""))
    parser.add_argument("--rasa-url", default=config.rasa_url)
    args = parser.parse_args(argv)
    from pathlib import Path
    config = config.with_changes(host=args.host, ws_port=args.ws_port, audiosocket_port=args.audiosocket_port,
                                 asr_engine=args.engine, rasa_url=args.rasa_url,
                                 vosk_model=Path(args.vosk_model) if args.vosk_model else None)
    setup_process_logging()
    asyncio.run(_serve(config))


async def _serve(config) -> None:
    gateway = Gateway(config)
    await gateway.start()
    # The process supervisor polls /healthz; print the addresses for a person too.
    print(f"语音网关已启动：WebSocket ws://{config.host}:{gateway.ws_port}/  "
          f"AudioSocket {config.host}:{gateway.audiosocket_port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await gateway.stop()


if __name__ == "__main__":
    main()
