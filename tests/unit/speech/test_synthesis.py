"""Speech synthesis in worker processes: audio of plausible length, prompts cached, two calls'
texts never mixed, and a stuck worker replaced."""
from __future__ import annotations

import asyncio

import pytest

from speech.synthesis import Synthesizer, TTSError


def seconds(pcm: bytes, rate: int) -> float:
    return len(pcm) / 2 / rate


def test_synthesis_and_cache():
    async def scenario():
        synthesizer = Synthesizer(rate=170)
        try:
            short = await synthesizer.speak("您好", 8000, cache=True)
            again = await synthesizer.speak("您好", 8000, cache=True)
            long = await synthesizer.speak("您好，这里是12345政务服务便民热线，请问有什么可以帮您？", 16000)
            return short, again, long, synthesizer.syntheses, synthesizer.cache_hits
        finally:
            synthesizer.close()

    short, again, long, syntheses, hits = asyncio.run(scenario())
    assert 0.3 < seconds(short, 8000) < 3 and short is again
    assert (syntheses, hits) == (2, 1)
    assert 4 < seconds(long, 16000) < 20      # 25 syllables, numbers read digit by digit


def test_two_calls_get_their_own_audio():
    texts = ["好的", "请问您的具体地址是哪个小区哪栋楼？", "再见"]

    async def scenario():
        synthesizer = Synthesizer(workers=2)
        try:
            alone = [await synthesizer.speak(t, 16000) for t in texts]
            together = await asyncio.gather(*(synthesizer.speak(t, 16000) for t in texts * 2))
            return alone, together
        finally:
            synthesizer.close()

    alone, together = asyncio.run(scenario())
    # espeak-ng varies a few samples between runs; a mixed-up answer would be another text's length.
    for mine, reference in zip(together, alone * 2):
        assert abs(len(mine) - len(reference)) <= 0.03 * len(reference)


def test_a_stuck_worker_is_replaced():
    async def scenario():
        synthesizer = Synthesizer(timeout_s=0.0001)
        try:
            with pytest.raises(TTSError):
                await synthesizer.speak("这句话合成不完", 16000)
            synthesizer.timeout_s = 15
            return await synthesizer.speak("恢复正常", 16000)
        finally:
            synthesizer.close()

    assert len(asyncio.run(scenario())) > 0
