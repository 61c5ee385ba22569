"""One phone call: listen, recognise, ask the assistant (Rasa REST channel), answer aloud.

Transport-neutral: audiosocket.py and websocket.py feed caller audio, keypad digits and hang-up
into a Call and give it a CallSink to send audio, JSON messages and the end of the call.

    caller audio ─► resample to 16 kHz ─► Endpointer ─► (utterance) ─► recogniser (thread pool)
         │                                   │                              │
         │                     speech while a prompt plays                  ▼
         │                     = barge-in: stop the prompt         Rasa REST webhook
         ▼                                                                  │
    archive (caller.wav)                 reply text + buttons read as options ─► TTS (process pool)
                                         emergency / hand-off ─► transfer event  ─► Player (paced)
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Protocol

from bot.privacy import mask_phone, mask_text
from bot.restrictions import checks as restrictions
from channels.voice.archive import CallArchive
from speech.recognition import AsyncRecognizer, RecognitionStream
from speech.audio import StreamResampler
from channels.voice.config import ASR_RATE, VoiceConfig
from bot import channel_events, identities
from channels.voice.control import SEAT, BotReply, Transfer, button_for_key, button_for_speech, decide, spoken_reply
from channels.voice.endpointing import Endpointer, SpeechEnded, SpeechStarted
from channels.voice.playback import Player
from channels.rasa_client import RasaClient, RasaUnavailable
from speech.synthesis import Synthesizer, TTSError

logger = logging.getLogger(__name__)

FIXED_PROMPTS = ("greeting", "reprompt", "goodbye", "to_seat", "not_understood", "backend_down", "busy",
                 "too_long")
OUTCOMES_KEPT = 10_000       # finished calls whose outcome /calls still answers from memory
TYPED_LIMIT = 2000           # characters of one text turn


class CallSink(Protocol):
    """What a transport offers a call."""
    rate: int                # sample rate of the audio the transport carries
    chunk_bytes: int         # size of one outgoing audio chunk

    async def send_audio(self, pcm: bytes) -> None: ...
    async def send_json(self, message: Dict) -> None: ...
    async def end(self) -> None: ...


@dataclass
class VoiceServices:
    """Everything calls share: loaded once per gateway process."""
    config: VoiceConfig
    recognizer: AsyncRecognizer
    synthesizer: Synthesizer
    rasa: RasaClient
    outcomes: Dict[str, Dict] = field(default_factory=dict)     # call id -> final event (for /calls)
    callers: Dict[str, str] = field(default_factory=dict)       # call id -> number registered by the PBX
    active: Dict[str, "Call"] = field(default_factory=dict)

    def remember(self, call_id: str, outcome: Dict) -> None:
        """The outcome of a finished call, for /calls; the oldest are forgotten past OUTCOMES_KEPT."""
        self.outcomes[call_id] = outcome
        while len(self.outcomes) > OUTCOMES_KEPT:
            self.outcomes.pop(next(iter(self.outcomes)))

    def is_known(self, call_id: str) -> bool:
        """A call id in use or used before (active, remembered or archived): never given twice."""
        return (call_id in self.active or call_id in self.outcomes
                or (self.config.archive_dir / call_id).exists())

    def full(self) -> bool:
        return len(self.active) >= self.config.max_calls

    async def warm_up(self, rates) -> None:
        prompts = [self.config.prompt(name) for name in FIXED_PROMPTS]
        await self.synthesizer.warm_up(prompts, rates)

    async def close(self) -> None:
        await self.rasa.close()
        self.synthesizer.close()
        self.recognizer.close()


@dataclass
class TurnTiming:
    speech_end: float            # monotonic time the endpointer closed the utterance
    asr_s: float = 0.0
    rasa_s: float = 0.0
    tts_s: float = 0.0


class Call:
    def __init__(self, services: VoiceServices, sink: CallSink, call_id: Optional[str] = None,
                 transport: str = "websocket", caller: Optional[str] = None):
        self.services = services
        self.config = services.config
        self.sink = sink
        self.call_id = call_id or uuid.uuid4().hex
        self.transport = transport
        self.caller = caller or services.callers.pop(self.call_id, None)
        self.archive = CallArchive(self.config.archive_dir, self.call_id, transport, sink.rate, self.caller)
        # Bounded: a client sending faster than anyone speaks loses frames, not the gateway memory.
        self._inputs: "asyncio.Queue[tuple]" = asyncio.Queue(maxsize=max(self.config.input_queue, 10))
        self._started = time.monotonic()
        self._audio_s = 0.0              # seconds of caller audio received
        self._dropped = 0
        self._utterances: "asyncio.Queue[tuple]" = asyncio.Queue()
        self._resampler = StreamResampler(sink.rate, ASR_RATE)
        self._endpointer = Endpointer(self.config.vad)
        self._stream: Optional[RecognitionStream] = None
        self._fed = 0
        self._player = Player(sink.send_audio, sink.rate, sink.chunk_bytes, self.config.playback_pace,
                              lead_s=0.1 if transport == "audiosocket" else 0.3,
                              on_sent=self.archive.assistant_audio)
        self._turn_busy = False
        self._idle_since: Optional[float] = None
        self._reprompts = 0
        self._buttons: List[Dict[str, str]] = []
        self._last_spoken = ""
        self._closing = False        # no new dialogue: the caller hung up or the call is ending
        self._ending = False         # a transfer or goodbye prompt is playing: nothing may interrupt it
        self._hung_up = False
        self.outcome: Optional[Dict] = None
        self.transcripts: List[str] = []
        self.timings: List[TurnTiming] = []
        self._done = asyncio.Event()

    # ------------------------------------------------------------ inputs from the transport

    def feed_audio(self, pcm: bytes) -> None:
        """Caller audio; what runs more than audio_ahead_s ahead of real time is dropped (a client
        pushing audio unpaced would otherwise fill the disk and the recogniser)."""
        self._audio_s += len(pcm) / (2 * self.sink.rate)
        if self._audio_s > time.monotonic() - self._started + self.config.audio_ahead_s:
            self._drop("audio ahead of real time")
            return
        self._put(("audio", pcm))

    def dtmf(self, digit: str) -> None:
        self._put(("dtmf", digit))

    def typed(self, text: str) -> None:
        """Text already recognised elsewhere (a SIP gateway with its own recogniser, a test): a turn
        without speech recognition."""
        self._put(("typed", text[:TYPED_LIMIT]))

    def hangup(self) -> None:
        """The caller hung up (AudioSocket 0x00, WebSocket {"eof": 1} or a closed socket): always
        heard, a full queue gives way."""
        while self._inputs.full():
            self._inputs.get_nowait()
        self._inputs.put_nowait(("hangup",))

    def _put(self, item: tuple) -> None:
        try:
            self._inputs.put_nowait(item)
        except asyncio.QueueFull:
            self._drop("input queue full")

    def _drop(self, why: str) -> None:
        if self._dropped == 0:
            logger.warning("call %s: dropping input (%s)", self.call_id, why)
        self._dropped += 1

    # ------------------------------------------------------------ the call

    async def run(self) -> Dict:
        self.services.active[self.call_id] = self
        self._player.start()
        turns = asyncio.create_task(self._turn_worker(), name=f"turns-{self.call_id}")
        try:
            restricted = await asyncio.to_thread(restrictions.refusal, restrictions.NUMBER_KINDS, self.caller)
            if restricted:
                await self._refuse(restricted)
                return self.outcome
            await self._prompt("greeting")
            while self.outcome is None and not self._hung_up:
                try:
                    item = await asyncio.wait_for(self._inputs.get(), timeout=0.1)
                except asyncio.TimeoutError:
                    item = None
                if item is not None:
                    await self._handle(item)
                await self._check_silence()
                await self._check_length()
            await self._finish_turns(turns)
        except Exception:
            logger.exception("call %s failed", self.call_id)
            if self.outcome is None:
                self.outcome = {"event": "hangup"}
        finally:
            turns.cancel()
            await self._player.close()
            self.archive.record("event", **(self.outcome or {"event": "hangup"}))
            self.archive.close(self.outcome)
            self.services.remember(self.call_id, dict(self.outcome or {"event": "hangup"}))
            self.services.active.pop(self.call_id, None)
            self._done.set()
        return self.outcome

    async def _refuse(self, text: str) -> None:
        """A restricted caller (seed 004) hears why, and the call ends."""
        self.archive.record("event", event="restricted")
        self._ending = True
        await self._send_json({"bot": text, "prompt": "restricted"})
        self.archive.record("assistant", text, prompt="restricted")
        await self._say(text, final=True)
        self._closing = True
        await self._player.drained()
        await self._end({"event": "hangup", "reason": "restricted"})

    async def _check_length(self) -> None:
        """A call longer than max_call_s ends politely (one caller may not hold a line forever)."""
        if self._ending or self.outcome is not None:
            return
        if time.monotonic() - self._started > self.config.max_call_s:
            self.archive.record("event", event="max_length")
            self._ending = True
            self._player.stop()
            await self._prompt("too_long", final=True)
            self._closing = True
            await self._player.drained()
            await self._end({"event": "hangup", "reason": "max_length"})

    async def _finish_turns(self, turns: asyncio.Task) -> None:
        """The caller hung up: let the last utterance be recognised and answered (bounded)."""
        if self._hung_up:
            await self._utterances.put(("stop",))
            try:
                await asyncio.wait_for(turns, timeout=60)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                pass
            if self.outcome is None:
                await self._player.drained()
                await self._end({"event": "hangup"})

    async def _handle(self, item: tuple) -> None:
        kind = item[0]
        if kind == "audio":
            await self._audio(item[1])
        elif kind == "dtmf":
            await self._key(item[1])
        elif kind == "typed":
            if not (self._closing or self._ending):
                self._idle_since = None
                if self._player.stop():
                    await self._send_json({"event": "barge_in"})
                await self._utterances.put(("typed", item[1], TurnTiming(time.monotonic())))
        elif kind == "hangup":
            self._hung_up = True
            self._closing = True
            tail = self._resampler.feed(b"", last=True)
            events = self._endpointer.feed(tail) if tail else []
            final = self._endpointer.flush()
            for event in events + ([final] if final else []):
                await self._vad_event(event)

    async def _audio(self, pcm: bytes) -> None:
        self.archive.caller_audio(pcm)
        pcm16 = self._resampler.feed(pcm)
        if not pcm16:
            return
        self._endpointer.playing = self._player.busy and not self._closing
        for event in self._endpointer.feed(pcm16):
            await self._vad_event(event)
        if self._endpointer.speaking and self.services.recognizer.streaming:
            await self._feed_stream(self._endpointer.current())

    async def _vad_event(self, event) -> None:
        recognizer = self.services.recognizer
        if isinstance(event, SpeechStarted):
            self._idle_since = None
            self._stream, self._fed = recognizer.stream(), 0
            if not (self._closing or self._ending) and self._player.stop():
                logger.info("call %s: barge-in", self.call_id)
                self.archive.record("event", event="barge_in")
                await self._send_json({"event": "barge_in"})
        elif isinstance(event, SpeechEnded):
            stream = self._stream or recognizer.stream()
            self._stream = None
            if recognizer.streaming:
                await self._feed_stream(event.pcm, stream)
            else:
                stream.accept(event.pcm)          # whisper only buffers: no need for a thread
            await self._utterances.put(("speech", stream, TurnTiming(time.monotonic())))

    async def _feed_stream(self, pcm: bytes, stream: Optional[RecognitionStream] = None) -> None:
        stream = stream or self._stream
        if stream is None or len(pcm) <= self._fed:
            return
        if stream is self._stream and len(pcm) - self._fed < 6400:    # feed vosk ~200 ms at a time
            return
        chunk, self._fed = pcm[self._fed:], len(pcm)
        partial = await self.services.recognizer.accept(stream, chunk)
        if partial and stream is self._stream:
            await self._send_json({"partial": partial})
        if stream is not self._stream:
            self._fed = 0

    async def _key(self, digit: str) -> None:
        self.archive.record("caller", dtmf=digit)
        self._idle_since = None
        if self._closing or self._ending:
            return
        if self._player.stop():                   # keypad barge-in
            await self._send_json({"event": "barge_in"})
        if digit == "0":
            await self._transfer(Transfer(SEAT, "dtmf"), self.config.prompt("to_seat"))
        elif digit == "*" and self._last_spoken:
            await self._say(self._last_spoken)
        else:
            button = button_for_key(digit, self._buttons)
            if button:
                await self._utterances.put(("button", button, TurnTiming(time.monotonic())))

    async def _check_silence(self) -> None:
        waiting = not (self._closing or self._ending or self._turn_busy or self._player.busy
                       or self._endpointer.speaking
                       or not self._utterances.empty())
        now = time.monotonic()
        if not waiting:
            self._idle_since = None
            return
        if self._idle_since is None:
            self._idle_since = now
            return
        if now - self._idle_since < self.config.silence_timeout_s:
            return
        self._idle_since = None
        if self._reprompts < self.config.max_reprompts:
            self._reprompts += 1
            self.archive.record("event", event="reprompt")
            await self._prompt("reprompt")
        else:
            self.archive.record("event", event="silence_timeout")
            self._ending = True
            await self._prompt("goodbye", final=True)
            self._closing = True
            await self._player.drained()
            await self._end({"event": "hangup"})

    # ------------------------------------------------------------ turns (one at a time per call)

    async def _turn_worker(self) -> None:
        while True:
            item = await self._utterances.get()
            if item[0] == "stop":
                return
            self._turn_busy = True
            try:
                if item[0] == "speech":
                    await self._speech_turn(item[1], item[2])
                elif item[0] == "typed":
                    await self._text_turn(item[1], item[2], source="typed")
                else:
                    button, timing = item[1], item[2]
                    await self._bot_turn(button["payload"], f"按键选择：{button['title']}", timing)
            except Exception:
                logger.exception("call %s: turn failed", self.call_id)
            finally:
                self._turn_busy = False
                self._idle_since = None
            if self.outcome is not None:
                return

    async def _speech_turn(self, stream: RecognitionStream, timing: TurnTiming) -> None:
        started = time.monotonic()
        transcript = await self.services.recognizer.result(stream)
        timing.asr_s = time.monotonic() - started
        if not transcript:
            if not self._closing:
                await self._prompt("not_understood")
            return
        await self._text_turn(transcript, timing, source="asr")

    async def _text_turn(self, transcript: str, timing: TurnTiming, source: str) -> None:
        transcript = (transcript or "").strip()[:1000]
        if not transcript:
            return
        self._reprompts = 0
        self.transcripts.append(transcript)
        await self._send_json({"text": transcript})
        extra = {"asr_s": round(timing.asr_s, 3)} if source == "asr" else {"source": source}
        self.archive.record("caller", transcript, **extra)
        button = button_for_speech(transcript, self._buttons)
        await self._bot_turn(button["payload"] if button else transcript, transcript, timing)

    async def _bot_turn(self, message: str, transcript: str, timing: TurnTiming) -> None:
        if self.outcome is not None:
            return
        metadata = {"channel": identities.VOICE, "call_id": self.call_id,
                    "caller": mask_phone(self.caller) if self.caller else None}
        started = time.monotonic()
        try:
            reply = BotReply.of(await self.services.rasa.turn(identities.sender_id(identities.VOICE, self.call_id),
                                                              message, metadata))
        except RasaUnavailable as exc:
            logger.error("call %s: Rasa unavailable (%s); transferring to a seat", self.call_id, exc)
            await self._transfer(Transfer(SEAT, "backend_down"), self.config.prompt("backend_down"))
            return
        timing.rasa_s = time.monotonic() - started
        self._buttons = reply.buttons
        await self._send_json({"bot": reply.text, **({"buttons": [b["title"] for b in reply.buttons]}
                                                     if reply.buttons else {})})
        self.archive.record("assistant", reply.text, rasa_s=round(timing.rasa_s, 3))
        for number in channel_events.opened_tickets(reply.events):
            self.archive.link_ticket(number)
        transfer = decide(reply.events, transcript)
        if transfer is not None:
            if transfer.to == SEAT:
                prompt = self.config.prompt("to_seat")
            else:
                # The caller hears where they are put through; the full advice is in {"bot"}.
                prompt = self.config.prompt("emergency_transfer", number=transfer.to)
            await self._transfer(transfer, prompt, timing)
            return
        spoken = spoken_reply(reply.text, reply.buttons, self.config.prompts["option"])
        await self._say(spoken, timing=timing)

    # ------------------------------------------------------------ speaking and ending

    async def _prompt(self, name: str, final: bool = False, **values) -> None:
        """One of the gateway's own prompts: shown as {"bot", "prompt"} and spoken from the cache."""
        text = self.config.prompt(name, **values)
        if self._ending and not final:
            return
        await self._send_json({"bot": text, "prompt": name})
        self.archive.record("assistant", text, prompt=name)
        await self._say(text, cache=not values, final=final)

    async def _say(self, text: str, cache: bool = False, timing: Optional[TurnTiming] = None,
                   final: bool = False) -> None:
        if not text or self.outcome is not None or (self._ending and not final):
            return
        started = time.monotonic()
        try:
            pcm = await self.services.synthesizer.speak(text, self.sink.rate, cache=cache)
        except TTSError:
            logger.exception("call %s: synthesis failed", self.call_id)
            return
        if timing is not None:
            timing.tts_s = time.monotonic() - started
            self.timings.append(timing)
        self._last_spoken = text
        self._idle_since = None
        self._player.play(pcm)

    async def _transfer(self, transfer: Transfer, prompt: str, timing: Optional[TurnTiming] = None) -> None:
        if self._ending:
            return
        self._ending = True
        self._player.stop()                       # whatever was playing gives way to the transfer
        self.archive.record("event", event="transfer", to=transfer.to, reason=transfer.reason)
        name = "to_seat" if transfer.to == SEAT else "emergency_transfer"
        await self._send_json({"bot": prompt, "prompt": name})
        await self._say(prompt, cache=prompt in (self.config.prompt("to_seat"), self.config.prompt("backend_down")),
                        timing=timing, final=True)
        await self._player.drained()
        await self._end(transfer.event())

    async def _end(self, event: Dict) -> None:
        if self.outcome is not None:
            return
        self.outcome = event
        self._closing = True
        # Recorded before the line closes: a dialplan asks /calls/<id>/transfer right after, and
        # whoever reads the archive once the line is down finds the call complete.
        self.services.remember(self.call_id, dict(event))
        self.archive.record("event", **event)
        self.archive.close(event)
        await self._send_json(event)
        try:
            await self.sink.end()
        except Exception:   # the caller may already be gone
            logger.debug("call %s: sink already closed", self.call_id)

    async def _send_json(self, message: Dict) -> None:
        try:
            await self.sink.send_json(message)
        except Exception:
            logger.debug("call %s: could not send %s", self.call_id, mask_text(str(message)))

    async def wait(self) -> None:
        await self._done.wait()
