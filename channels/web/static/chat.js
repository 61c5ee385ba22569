/* 12345 web chat: talks to Rasa's socketio channel through this page's own server (websocket
 * transport only; the server proxies it under the session id of its signed cookie).
 *
 * Protocol (Rasa 3.6 socketio channel, session_persistence on):
 *   connect -> emit "session_request" {session_id: <stored id or null>}
 *   <- "session_confirm" <session id>            (the socket joins that session's room)
 *   emit "user_uttered" {message, session_id, customData: {channel, language, user_id}}
 *   <- "bot_uttered" {text, quick_replies?: [{content_type, title, payload}]} or an event
 *      {event: "ticket_opened" | "handoff_queued" | ..., ...} (bot/channel_events.py)
 *
 * Bot text is only ever rendered with textContent (never innerHTML) and CSS white-space: pre-line.
 */
(function () {
  "use strict";

  var KEYS = {
    session: "hotline.webchat.session_id",
    transcript: "hotline.webchat.transcript",
    largeFont: "hotline.webchat.large_font"
  };
  var MAX_TRANSCRIPT = 200;
  var TICKET_NUMBER = /工单编号[：:]\s*(\d{12})(?!\d)/;
  var SLOW_REPLY_MS = 20000;   // after this, tell the citizen the reply is taking long
  var GIVE_UP_MS = 60000;      // after this, stop showing the typing indicator

  var $ = function (id) { return document.getElementById(id); };
  var els = {
    html: document.documentElement,
    serviceName: $("service-name"),
    hotlineLink: $("hotline-link"),
    status: $("status"),
    error: $("error"),
    messages: $("messages"),
    list: $("message-list"),
    typing: $("typing"),
    announcer: $("announcer"),
    form: $("composer"),
    input: $("input"),
    send: $("send"),
    fontToggle: $("font-toggle"),
    newConversation: $("new-conversation"),
    confirmNew: $("confirm-new")
  };

  var state = {
    config: null,
    socket: null,
    sessionId: null,
    confirmed: false,        // session_confirm received on the current connection
    outbox: [],              // messages typed while not connected, sent after session_confirm
    transcript: [],
    waitTimers: [],
    errors: {}               // source -> message; the error line shows the latest one
  };

  /* ---------- storage (never throws: private mode or full storage just loses persistence) ---------- */

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) { /* ignore */ }
  }
  function loadTranscript() {
    try {
      var items = JSON.parse(load(KEYS.transcript) || "[]");
      if (!Array.isArray(items)) return [];
      return items.filter(function (m) {
        return m && (m.role === "user" || m.role === "bot") && typeof m.text === "string";
      }).slice(-MAX_TRANSCRIPT);
    } catch (e) { return []; }
  }
  function saveTranscript() {
    if (state.transcript.length > MAX_TRANSCRIPT) {
      state.transcript = state.transcript.slice(-MAX_TRANSCRIPT);
    }
    save(KEYS.transcript, JSON.stringify(state.transcript));
  }

  /* ---------- status and errors ---------- */

  function setStatus(kind, text) {
    els.status.textContent = text;
    els.status.className = "status status-" + kind;
    els.html.setAttribute("data-connection", kind);
  }
  function setError(source, message) {
    if (message) state.errors[source] = message; else delete state.errors[source];
    var sources = Object.keys(state.errors);
    var text = sources.length ? state.errors[sources[sources.length - 1]] : "";
    els.error.textContent = text;
    els.error.hidden = !text;
  }

  /* ---------- rendering ---------- */

  function timeLabel(ts) {
    var d = new Date(ts || Date.now());
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function nearBottom() {
    var m = els.messages;
    return m.scrollHeight - m.scrollTop - m.clientHeight < 120;
  }
  function scrollToBottom() {
    els.messages.scrollTop = els.messages.scrollHeight;
  }

  function renderMessage(msg) {
    var item = document.createElement("div");
    item.className = "msg " + msg.role;
    if (msg.pending) item.classList.add("pending");

    var who = document.createElement("span");
    who.className = "sr-only";
    who.textContent = msg.role === "bot" ? "客服：" : "我：";
    item.appendChild(who);

    var bubble = document.createElement("div");
    bubble.className = "bubble";
    var text = document.createElement("p");
    text.className = "msg-text";
    text.textContent = msg.text;           // never innerHTML: bot text may contain anything
    bubble.appendChild(text);
    item.appendChild(bubble);

    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = msg.pending ? "等待连接后发送" : timeLabel(msg.ts);
    item.appendChild(meta);

    var ticket = msg.role === "bot" && TICKET_NUMBER.exec(msg.text);
    if (ticket) item.appendChild(copyButton(ticket[1]));

    if (msg.role === "bot" && msg.quick_replies && msg.quick_replies.length) {
      var group = document.createElement("div");
      group.className = "quick-replies";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "可选回复");
      msg.quick_replies.forEach(function (qr) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "quick-reply";
        button.textContent = qr.title;
        button.addEventListener("click", function () {
          sendMessage(qr.payload || qr.title, qr.title);
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    return item;
  }

  /* A ticket number is what the citizen must keep: offer to copy it. */
  function copyButton(number) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-ticket";
    button.textContent = "复制工单编号";
    button.setAttribute("aria-label", "复制工单编号 " + number);
    button.addEventListener("click", function () {
      button.removeAttribute("aria-label");   // from now on the visible text says what happened
      copyText(number).then(function () {
        button.textContent = "已复制 " + number;
      }, function () {
        button.textContent = "请长按编号手动复制";
      });
    });
    return button;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {   // plain-http deployments have no clipboard API
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  /* Quick replies stay only on the bot messages after the citizen's last message. */
  function retireQuickReplies() {
    var groups = els.list.querySelectorAll(".quick-replies");
    for (var i = 0; i < groups.length; i++) groups[i].remove();
  }

  function renderAll() {
    els.list.textContent = "";
    var lastUser = -1;
    state.transcript.forEach(function (m, i) { if (m.role === "user") lastUser = i; });
    state.transcript.forEach(function (m, i) {
      var shown = i > lastUser ? m : { role: m.role, text: m.text, ts: m.ts };
      els.list.appendChild(renderMessage(shown));
    });
    scrollToBottom();
  }

  function appendMessage(msg) {
    var stick = msg.role === "user" || nearBottom();
    if (msg.role === "user") retireQuickReplies();
    state.transcript.push({ role: msg.role, text: msg.text, quick_replies: msg.quick_replies, ts: msg.ts });
    saveTranscript();
    var node = renderMessage(msg);
    els.list.appendChild(node);
    if (msg.role === "bot") announce(msg);
    if (stick) scrollToBottom();
    return node;
  }

  function announce(msg) {
    var p = document.createElement("p");
    p.textContent = "客服：" + msg.text;
    els.announcer.appendChild(p);
    while (els.announcer.childNodes.length > 3) els.announcer.removeChild(els.announcer.firstChild);
  }

  /* ---------- typing indicator ---------- */

  function clearWaitTimers() {
    state.waitTimers.forEach(function (t) { clearTimeout(t); });
    state.waitTimers = [];
  }
  function startWaiting() {
    clearWaitTimers();
    els.typing.hidden = false;
    els.html.setAttribute("data-waiting", "true");
    scrollToBottom();
    state.waitTimers.push(setTimeout(function () {
      setError("slow", "回复时间较长，请稍候。如长时间没有回复，请刷新页面或拨打12345热线。");
    }, SLOW_REPLY_MS));
    state.waitTimers.push(setTimeout(stopWaiting, GIVE_UP_MS));
  }
  function stopWaiting() {
    clearWaitTimers();
    els.typing.hidden = true;
    els.html.removeAttribute("data-waiting");
    setError("slow", null);
  }

  /* ---------- sending ---------- */

  function emitUserMessage(payload) {
    state.socket.emit("user_uttered", {
      message: payload,
      session_id: state.sessionId,
      customData: { channel: "web", language: "zh", user_id: state.sessionId }
    });
  }

  // payload goes to Rasa; label is what the citizen sees (a button's title).
  function sendMessage(payload, label) {
    payload = (payload || "").trim();
    if (!payload) return false;
    var ready = state.socket && state.socket.connected && state.confirmed;
    var node = appendMessage({ role: "user", text: (label || payload).trim(), ts: Date.now(), pending: !ready });
    if (ready) {
      emitUserMessage(payload);
      startWaiting();
    } else {
      state.outbox.push({ payload: payload, node: node });
      setError("offline", "暂时连不上服务器，您的消息将在恢复连接后自动发送。");
    }
    return true;
  }

  function flushOutbox() {
    var queued = state.outbox;
    state.outbox = [];
    if (queued.length) startWaiting();
    queued.forEach(function (q) {
      emitUserMessage(q.payload);
      if (q.node) {
        q.node.classList.remove("pending");
        var meta = q.node.querySelector(".meta");
        if (meta) meta.textContent = timeLabel(Date.now());
      }
    });
    setError("offline", null);
  }

  /* ---------- socket ---------- */

  function connect() {
    if (typeof window.io !== "function") {
      setStatus("disconnected", "连接失败");
      setError("client", "页面组件加载失败，请刷新页面重试，或直接拨打12345热线。");
      return;
    }
    var options = {
      path: state.config.socket_path || "/socket.io",
      transports: ["websocket"],       // the only transport the server's proxy speaks
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      timeout: 10000
    };
    // The chat socket is this page's own server (it proxies to the assistant under the session
    // its cookie names); config.rasa_url stays for a deployment that puts it elsewhere.
    var socket = state.config.rasa_url ? window.io(state.config.rasa_url, options) : window.io(options);
    state.socket = socket;

    socket.on("connect", function () {
      state.confirmed = false;
      setStatus("connecting", "连接中");
      socket.emit("session_request", { session_id: state.sessionId });
    });

    socket.on("session_confirm", function (data) {
      var id = typeof data === "string" ? data : (data && data.session_id);
      if (!id) return;
      state.sessionId = id;
      state.confirmed = true;
      save(KEYS.session, id);
      setStatus("connected", "已连接");
      setError("connection", null);
      flushOutbox();
    });

    socket.on("bot_uttered", function (data) {
      if (!data) return;
      stopWaiting();
      if (typeof data.event === "string") {   // an event from the assistant (bot/channel_events.py)
        showEvent(data);
        return;
      }
      var text = typeof data.text === "string" ? data.text : "";
      var replies = Array.isArray(data.quick_replies) ? data.quick_replies.filter(function (q) {
        return q && typeof q.title === "string" && q.title;
      }).map(function (q) {
        return { title: q.title, payload: typeof q.payload === "string" ? q.payload : q.title };
      }) : [];
      if (!text && data.attachment && data.attachment.payload && data.attachment.payload.src) {
        text = "[附件] " + data.attachment.payload.src;   // shown as text, never as markup
      }
      if (!text && !replies.length) return;
      appendMessage({ role: "bot", text: text, quick_replies: replies, ts: Date.now() });
    });

    socket.on("disconnect", function (reason) {
      state.confirmed = false;
      if (reason === "io client disconnect") return;   // we closed it ourselves (new conversation)
      setStatus("reconnecting", "连接断开，正在重连");
    });

    socket.on("connect_error", function () {
      state.confirmed = false;
      setStatus("reconnecting", "连接断开，正在重连");
      setError("connection", "暂时无法连接到服务器，正在自动重试。您也可以直接拨打12345热线。");
    });
  }

  /* ---------- the assistant's events ---------- */

  // The status line follows a hand-off to a human seat; other events need nothing on this page
  // (the reply text beside them says it all).
  function showEvent(event) {
    if (event.event === "handoff_queued") {
      setStatus("connected", "正在等候人工客服");
    } else if (event.event === "handoff_resumed" || event.event === "handoff_expired") {
      setStatus("connected", "已连接");
    }
  }

  /* ---------- new conversation ---------- */

  function startNewConversation() {
    stopWaiting();
    state.outbox = [];
    state.transcript = [];
    state.sessionId = null;
    save(KEYS.session, null);
    save(KEYS.transcript, null);
    renderAll();
    els.announcer.textContent = "";
    if (state.socket) {
      state.confirmed = false;
      setStatus("connecting", "连接中");
      state.socket.disconnect();
      // The server issues the new conversation's id (a cookie); then a fresh connection joins it.
      window.fetch("/session/new", { method: "POST", credentials: "same-origin" }).then(function (r) {
        if (!r.ok) return r.text().then(function (reason) { setError("connection", reason || "暂时无法开始新对话，请稍后再试。"); });
      }).catch(function () {
        setError("connection", "暂时无法开始新对话，请稍后再试。");
      }).then(function () {
        state.socket.connect();
      });
    }
    els.input.focus();
  }

  /* ---------- large font ---------- */

  function applyLargeFont(on) {
    els.html.classList.toggle("large-font", on);
    els.fontToggle.setAttribute("aria-pressed", on ? "true" : "false");
    els.fontToggle.title = on ? "恢复标准字号" : "放大页面文字";
  }

  /* ---------- input ---------- */

  function autoGrow() {
    els.input.style.height = "auto";
    var borders = els.input.offsetHeight - els.input.clientHeight;
    // CSS max-height caps the growth; beyond it the box scrolls.
    els.input.style.height = (els.input.scrollHeight + borders) + "px";
  }

  function submitInput() {
    if (sendMessage(els.input.value)) {
      els.input.value = "";
      autoGrow();
    }
    els.input.focus();
  }

  function bindUi() {
    els.form.addEventListener("submit", function (e) {
      e.preventDefault();
      submitInput();
    });
    els.input.addEventListener("keydown", function (e) {
      // Enter sends; Shift+Enter is a new line; Enter while an IME is composing Chinese must not send.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        submitInput();
      }
    });
    els.input.addEventListener("input", autoGrow);

    var starters = document.querySelectorAll(".starter");
    for (var i = 0; i < starters.length; i++) {
      starters[i].addEventListener("click", function (e) {
        var text = e.currentTarget.getAttribute("data-payload");
        sendMessage(text, e.currentTarget.textContent);
      });
    }

    els.fontToggle.addEventListener("click", function () {
      var on = !els.html.classList.contains("large-font");
      applyLargeFont(on);
      save(KEYS.largeFont, on ? "1" : null);
      scrollToBottom();
    });

    els.newConversation.addEventListener("click", function () {
      if (!state.transcript.length) { startNewConversation(); return; }
      var dialog = els.confirmNew;
      if (dialog && typeof dialog.showModal === "function") {
        dialog.returnValue = "";
        dialog.showModal();
      } else if (window.confirm("开始新对话？本页的聊天记录将被清空。")) {
        startNewConversation();
      }
    });
    if (els.confirmNew) {
      els.confirmNew.addEventListener("close", function () {
        if (els.confirmNew.returnValue === "ok") startNewConversation();
      });
    }

    window.addEventListener("offline", function () {
      setStatus("reconnecting", "连接断开，正在重连");
      setError("network", "手机或电脑的网络已断开，请检查网络。");
    });
    window.addEventListener("online", function () { setError("network", null); });
  }

  /* ---------- start ---------- */

  function applyConfig(cfg) {
    var city = cfg.city || "";
    var name = cfg.service_name || "12345政务服务便民热线";
    els.serviceName.textContent = (city && name.indexOf(city) !== 0 ? city : "") + name;
    document.title = (city || "") + name + " · 网上智能客服";
    var number = String(cfg.hotline_number || "12345");
    els.hotlineLink.textContent = number;
    els.hotlineLink.href = "tel:" + number.replace(/[^0-9+]/g, "");
  }

  function defaultConfig() {
    return {
      rasa_url: window.location.protocol + "//" + window.location.hostname + ":5005",
      socket_path: "/socket.io",
      service_name: "12345政务服务便民热线",
      city: "",
      hotline_number: "12345"
    };
  }

  function start() {
    applyLargeFont(load(KEYS.largeFont) === "1");
    bindUi();
    state.sessionId = load(KEYS.session) || null;
    state.transcript = loadTranscript();
    renderAll();
    setStatus("connecting", "连接中");

    fetch("/config.json", { cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .catch(function () {
        setError("config", "页面配置加载失败，正在尝试默认设置。如无法使用，请拨打12345热线。");
        return defaultConfig();
      })
      .then(function (cfg) {
        state.config = cfg;
        applyConfig(cfg);
        if (typeof cfg.restricted === "string" && cfg.restricted) {
          // This browser's use of the hotline is restricted (seed 004): say why, do not connect.
          setStatus("disconnected", "暂停服务");
          setError("connection", cfg.restricted);
          return;
        }
        connect();
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
