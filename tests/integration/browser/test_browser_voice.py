"""The web chat page's 语音 button, in headless Chromium with a fake microphone that plays a real
recording: page -> voice.js -> WebSocket -> the voice gateway started by `make run`'s stack ->
transcript and answer shown on the page, reply audio played."""
from __future__ import annotations

import json
import time
import urllib.request

import pytest

from speech.audio import silence, wav_bytes
from channels.voice.metrics import cer

pytestmark = [pytest.mark.browser, pytest.mark.rasa]


def _chromium(tmp_path, wav_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from tests.support.browser import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, _require_browser
    _require_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + [
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav_path}%noloop", "--autoplay-policy=no-user-gesture-required",
            f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1024,900"]:
        options.add_argument(flag)
    service = Service(CHROMEDRIVER, log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    return driver


def test_voice_button_talks_to_the_gateway(web_url, recordings, tmp_path):
    with urllib.request.urlopen(web_url.rstrip("/") + "/config.json", timeout=10) as response:
        config = json.loads(response.read())
    assert config.get("voice_url"), ("/config.json has no voice_url: the stack must run the voice gateway "
                                     "and the page must name it (hotline/stack.py starts channels.voice and sets "
                                     "HOTLINE_VOICE_URL; channels/web/app.py serves it as voice_url)")
    recording = next(r for r in recordings if r["wav"].startswith("funasr"))
    wav_path = tmp_path / "caller.wav"
    wav_path.write_bytes(wav_bytes(silence(1.0, 16000) + recording["pcm"] + silence(4.0, 16000), 16000))
    driver = _chromium(tmp_path, wav_path)
    try:
        driver.get(web_url)
        button = driver.find_element("id", "voice-toggle")
        assert button.text == "语音"
        button.click()
        deadline = time.monotonic() + 90
        lines = []
        while time.monotonic() < deadline:
            lines = [e.text for e in driver.find_elements("css selector", "#voice-panel .voice-line")]
            said = [l for l in lines if l.startswith("您：")]
            if said and lines.index(said[-1]) < len(lines) - 1 and any(
                    l.startswith("客服：") for l in lines[lines.index(said[-1]):]):
                break
            time.sleep(0.5)
        from tests.support.browser import SCREENSHOTS
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SCREENSHOTS / "voice-call.png"))
        said = [l[2:] for l in lines if l.startswith("您：")]
        assert said, f"no transcript on the page: {lines}"
        assert cer(recording["text"], said[0]) <= 0.35, said
        assert button.get_attribute("aria-pressed") == "true" and button.text == "挂断"
        button.click()                                   # hang up: {"eof" : 1}
        assert button.text == "语音"
    finally:
        driver.quit()
