/* Voice on the web chat page: the "语音" button calls the voice gateway like a phone.
 *
 * Microphone (getUserMedia) -> 16 kHz 16-bit mono PCM -> WebSocket (vosk-server style:
 * {"config": {"sample_rate": 16000}}, binary PCM, {"eof" : 1}). The gateway answers with JSON text
 * frames ({"text"}, {"bot"}, {"event"}) shown in a small panel, and binary frames of reply audio
 * (16 kHz PCM) played in order; {"event": "barge_in"} drops what is still queued.
 *
 * The gateway address comes from /config.json ("voice_url"); without it, port 8091 of this host.
 * No inline script or style: the page's Content-Security-Policy allows neither.
 */
(function () {
  "use strict";

  var RATE = 16000;
  var button = document.getElementById("voice-toggle");
  if (!button) return;

  var call = null;   // {ws, ctx, stream, source, processor, panel, playAt, playing: []}

  function voiceUrl() {
    return fetch("/config.json", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; })
      .then(function (config) {
        return config.voice_url || ("ws://" + (location.hostname || "127.0.0.1") + ":8091/");
      });
  }

  function panel() {
    var el = document.getElementById("voice-panel");
    if (!el) {
      el = document.createElement("div");
      el.id = "voice-panel";
      el.className = "voice-panel";
      el.setAttribute("role", "log");
      el.setAttribute("aria-live", "polite");
      el.setAttribute("aria-label", "语音通话");
      var toolbar = document.querySelector(".toolbar");
      (toolbar && toolbar.parentNode ? toolbar.parentNode : document.body)
        .insertBefore(el, toolbar ? toolbar.nextSibling : null);
    }
    el.hidden = false;
    return el;
  }

  function line(kind, text) {
    var p = document.createElement("p");
    p.className = "voice-line voice-" + kind;
    p.textContent = text;
    var el = panel();
    el.appendChild(p);
    while (el.childNodes.length > 8) el.removeChild(el.firstChild);
  }

  function setButton(active) {
    button.setAttribute("aria-pressed", active ? "true" : "false");
    button.textContent = active ? "挂断" : "语音";
    button.title = active ? "结束语音通话" : "用语音和智能客服通话";
  }

  // Linear-interpolation resampler from the microphone rate to 16 kHz, then float -> int16.
  function toPcm16(input, fromRate) {
    var ratio = fromRate / RATE;
    var length = Math.floor(input.length / ratio);
    var out = new Int16Array(length);
    for (var i = 0; i < length; i++) {
      var pos = i * ratio, left = Math.floor(pos), frac = pos - left;
      var right = Math.min(left + 1, input.length - 1);
      var s = input[left] * (1 - frac) + input[right] * frac;
      s = Math.max(-1, Math.min(1, s));
      out[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
    }
    return out;
  }

  function play(buffer) {
    if (!call) return;
    var samples = new Int16Array(buffer);
    if (!samples.length) return;
    var audio = call.ctx.createBuffer(1, samples.length, RATE);
    var channel = audio.getChannelData(0);
    for (var i = 0; i < samples.length; i++) channel[i] = samples[i] / 32768;
    var node = call.ctx.createBufferSource();
    node.buffer = audio;
    node.connect(call.ctx.destination);
    var at = Math.max(call.ctx.currentTime + 0.05, call.playAt);
    node.start(at);
    call.playAt = at + audio.duration;
    call.playing.push(node);
    node.onended = function () {
      if (call) call.playing = call.playing.filter(function (n) { return n !== node; });
    };
  }

  function stopPlayback() {
    if (!call) return;
    call.playing.forEach(function (n) { try { n.stop(); } catch (e) { /* already ended */ } });
    call.playing = [];
    call.playAt = 0;
  }

  function onMessage(event) {
    if (typeof event.data !== "string") { play(event.data); return; }
    var msg;
    try { msg = JSON.parse(event.data); } catch (e) { return; }
    if (msg.text) line("caller", "您：" + msg.text);
    if (msg.bot) line("bot", "客服：" + msg.bot);
    if (msg.buttons && msg.buttons.length) {
      line("bot", "可以说出选项，或按数字键：" + msg.buttons.map(function (b, i) { return (i + 1) + " " + b; }).join("；"));
    }
    if (msg.event === "barge_in") stopPlayback();
    if (msg.event === "transfer") {
      line("event", msg.to === "seat" ? "正在转接人工客服。网页上请拨打 12345 并按 0。"
                                      : "紧急情况，请立即拨打 " + msg.to + "！");
    }
    if (msg.event === "hangup") line("event", "通话已结束。");
    if (msg.error) line("event", "语音服务错误：" + msg.error);
  }

  function hangUp(sendEof) {
    if (!call) return;
    var c = call;
    if (sendEof && c.ws && c.ws.readyState === WebSocket.OPEN) c.ws.send('{"eof" : 1}');
    if (c.processor) c.processor.disconnect();
    if (c.source) c.source.disconnect();
    if (c.stream) c.stream.getTracks().forEach(function (t) { t.stop(); });
    // Let the last reply finish playing before the audio context goes.
    setTimeout(function () { c.ctx.close(); }, Math.max(0, (c.playAt - c.ctx.currentTime) * 1000) + 200);
    if (!sendEof && c.ws && c.ws.readyState === WebSocket.OPEN) c.ws.close();   // no socket: the microphone failed first
    call = null;
    setButton(false);
  }

  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      showMicError(null);
      return;
    }
    var Ctx = window.AudioContext || window.webkitAudioContext;
    var ctx = new Ctx();
    call = { ws: null, ctx: ctx, stream: null, source: null, processor: null, playAt: 0, playing: [] };
    setButton(true);
    line("event", "正在接通语音客服…");
    var constraints = { audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } };
    Promise.all([navigator.mediaDevices.getUserMedia(constraints), voiceUrl()]).then(function (got) {
      if (!call) { got[0].getTracks().forEach(function (t) { t.stop(); }); return; }
      var stream = got[0];
      var ws = new WebSocket(got[1]);
      ws.binaryType = "arraybuffer";
      call.ws = ws;
      call.stream = stream;
      ws.onopen = function () {
        ws.send(JSON.stringify({ config: { sample_rate: RATE } }));
        var source = ctx.createMediaStreamSource(stream);
        // ScriptProcessor needs no separate worklet file; 4096 frames is ~85 ms at 48 kHz.
        var processor = ctx.createScriptProcessor(4096, 1, 1);
        processor.onaudioprocess = function (e) {
          if (ws.readyState === WebSocket.OPEN) ws.send(toPcm16(e.inputBuffer.getChannelData(0), ctx.sampleRate).buffer);
        };
        source.connect(processor);
        processor.connect(ctx.destination);   // keeps the processor running; it outputs silence
        if (call) { call.source = source; call.processor = processor; }
      };
      ws.onmessage = onMessage;
      ws.onerror = function () { line("event", "无法连接语音服务。"); };
      ws.onclose = function () { if (call && call.ws === ws) hangUp(false); };
    }, function (err) {
      showMicError(err);
      hangUp(false);
    });
  }

  // What went wrong with the microphone, in Chinese, with what the citizen can do about it
  // (the browser's own error names mean nothing to them).
  var MIC_ERRORS = {
    NotAllowedError: "麦克风权限被拒绝。请点地址栏左侧的图标，把“麦克风”设为允许，再点“语音”；也可以直接打字或拨打12345。",
    SecurityError: "麦克风权限被拒绝。请点地址栏左侧的图标，把“麦克风”设为允许，再点“语音”；也可以直接打字或拨打12345。",
    NotFoundError: "没有找到麦克风。请连接耳机或麦克风后再点“语音”，或直接打字。",
    NotReadableError: "麦克风正被其他应用占用。请关闭正在通话或录音的应用后再试，或直接打字。",
    AbortError: "麦克风没能打开。请稍后再点“语音”，或直接打字。",
    OverconstrainedError: "这个麦克风不支持语音通话。请换一个麦克风，或直接打字。"
  };
  var MIC_INSECURE = "当前网页不是安全连接（https），浏览器不允许使用麦克风。请直接打字，或拨打12345热线。";
  var MIC_OTHER = "无法使用麦克风。请检查麦克风后再试，或直接打字、拨打12345热线。";

  function showMicError(err) {
    var insecure = !window.isSecureContext || !navigator.mediaDevices;
    var text = insecure ? MIC_INSECURE : (MIC_ERRORS[err && err.name] || MIC_OTHER);
    var error = document.getElementById("error");
    if (error) {                      // the page's alert line says it once; the call panel goes
      error.textContent = text;
      error.hidden = false;
      var callPanel = document.getElementById("voice-panel");
      if (callPanel) callPanel.remove();
    } else {
      line("event", text);
    }
  }

  button.addEventListener("click", function () {
    if (call) hangUp(true); else start();
  });
  document.addEventListener("keydown", function (e) {
    // Keypad while in a voice call: digits and * # go to the gateway as DTMF (0 = human seat).
    if (!call || !call.ws || call.ws.readyState !== WebSocket.OPEN) return;
    if (e.target && /^(TEXTAREA|INPUT)$/.test(e.target.tagName)) return;
    if (/^[0-9*#]$/.test(e.key)) call.ws.send(JSON.stringify({ dtmf: e.key }));
  });
  setButton(false);
})();
