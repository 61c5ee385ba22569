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
 * Bot text is only ever rendered with textContent (never innerHTML) and CSS white-space: pre-line;
 * phone numbers in it become tel: links built as DOM nodes (phones.js).
 *
 * The page acts on the assistant's events, never on its wording: transfer -> the emergency card,
 * handoff_queued -> the queue banner, seat_message -> a person's words in the seat's colour,
 * handoff_resumed -> a rating of the seat's service. Other scripts (cards.js, mytickets.js,
 * location.js) plug in through window.HotlineChat, defined at the end.
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
    errors: {},              // source -> message; the error line shows the latest one
    queue: null,             // null, or {status: "waiting"|"taken", position} while a person is involved
    queueTimer: null,
    listeners: {},           // assistant event name -> [function(event)]
    renderers: {},           // card kind -> function(entry, update) -> Node (cards.js and others)
    extra: {},               // more customData for each message (location.js: coordinates)
    lastDay: null            // the day of the last rendered entry (date separators)
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
        if (m && m.role === "card") return typeof m.kind === "string" && m.data && typeof m.data === "object";
        return m && (m.role === "user" || m.role === "bot" || m.role === "seat") && typeof m.text === "string";
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

  /* A seat is shown by its work number (工号 0123); a console account named by a person's name
     is shown as such. */
  function seatLabel(seat) {
    return /^[A-Za-z0-9_-]+$/.test(seat) ? "人工客服 · 工号 " + seat : "人工客服 · " + seat;
  }

  function renderMessage(msg) {
    var item = document.createElement("div");
    item.className = "msg " + msg.role;
    if (msg.pending) item.classList.add("pending");

    var who = document.createElement("span");
    who.className = msg.role === "seat" ? "seat-label" : "sr-only";
    who.textContent = msg.role === "bot" ? "客服：" : msg.role === "seat" ? seatLabel(msg.seat) : "我：";
    item.appendChild(who);

    var bubble = document.createElement("div");
    bubble.className = "bubble";
    var text = document.createElement("p");
    text.className = "msg-text";
    if (msg.role === "user") text.textContent = msg.text;
    else text.appendChild(window.HotlinePhones.fragment(msg.text));   // text nodes and tel: links only
    bubble.appendChild(text);
    item.appendChild(bubble);

    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = msg.pending ? "等待连接后发送" : timeLabel(msg.ts);
    if (msg.note) {
      var note = document.createElement("span");
      note.className = "msg-note";
      note.textContent = " · " + msg.note;
      meta.appendChild(note);
    }
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

  /* ---------- date separators: 今天 / 昨天 / 12月4日 星期五 between days ---------- */

  var WEEKDAYS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];

  function dayKey(ts) {
    var d = new Date(ts || Date.now());
    return d.getFullYear() + "-" + d.getMonth() + "-" + d.getDate();
  }
  function dayLabel(ts) {
    var d = new Date(ts || Date.now());
    var today = new Date();
    var yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
    if (dayKey(ts) === dayKey(today.getTime())) return "今天";
    if (dayKey(ts) === dayKey(yesterday.getTime())) return "昨天";
    var label = (d.getMonth() + 1) + "月" + d.getDate() + "日 " + WEEKDAYS[d.getDay()];
    return d.getFullYear() === today.getFullYear() ? label : d.getFullYear() + "年" + label;
  }
  function separateDay(ts) {
    var key = dayKey(ts);
    if (key === state.lastDay) return;
    state.lastDay = key;
    var line = document.createElement("p");
    line.className = "day-separator";
    line.setAttribute("role", "separator");
    line.textContent = dayLabel(ts);
    els.list.appendChild(line);
  }

  /* A transcript entry as a node: a message, or a card another script knows how to draw. */
  function renderEntry(entry, live) {
    if (entry.role !== "card") return renderMessage(entry);
    var renderer = state.renderers[entry.kind];
    if (!renderer) return null;
    return renderer(entry.data, function () { saveTranscript(); }, live);
  }

  function renderAll() {
    els.list.textContent = "";
    state.lastDay = null;
    var lastUser = -1;
    state.transcript.forEach(function (m, i) { if (m.role === "user") lastUser = i; });
    state.transcript.forEach(function (m, i) {
      var shown = i > lastUser || m.role !== "bot" ? m : { role: m.role, text: m.text, ts: m.ts };
      var node = renderEntry(shown, false);
      if (!node) return;
      separateDay(m.ts);
      els.list.appendChild(node);
    });
    scrollToBottom();
  }

  function appendMessage(msg) {
    var stick = msg.role === "user" || nearBottom();
    if (msg.role === "user") retireQuickReplies();
    var entry = { role: msg.role, text: msg.text, quick_replies: msg.quick_replies, ts: msg.ts };
    if (msg.seat) entry.seat = msg.seat;
    if (msg.note) entry.note = msg.note;
    state.transcript.push(entry);
    saveTranscript();
    separateDay(msg.ts);
    var node = renderMessage(msg);
    els.list.appendChild(node);
    if (msg.role !== "user") announce(msg);
    if (stick) scrollToBottom();
    return node;
  }

  /* A card (emergency, rating, ticket news…) in the conversation, kept with the transcript. */
  function appendCard(kind, data) {
    var entry = { role: "card", kind: kind, data: data, ts: Date.now() };
    var node = renderEntry(entry, true);
    if (!node) return null;
    state.transcript.push(entry);
    saveTranscript();
    separateDay(entry.ts);
    els.list.appendChild(node);
    scrollToBottom();
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
    if (state.queue) return;   // waiting for a person: no typing dots (the queue banner says it)
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
    var custom = { channel: "web", language: "zh", user_id: state.sessionId };
    Object.keys(state.extra).forEach(function (k) { custom[k] = state.extra[k]; });
    state.socket.emit("user_uttered", { message: payload, session_id: state.sessionId, customData: custom });
  }

  function messageLimit() {
    return (state.config && state.config.message_max_chars) || 3000;
  }
  function tooLongText() {
    return (state.config && state.config.message_too_long) || ("您的消息超过" + messageLimit() + "字，请删减，或分几次发送。");
  }

  // payload goes to Rasa; label is what the citizen sees (a button's title).
  function sendMessage(payload, label) {
    payload = (payload || "").trim();
    if (!payload) return false;
    if (payload.length > messageLimit()) {    // never cut: say so, keep the text in the box
      setError("length", tooLongText());
      return false;
    }
    setError("length", null);
    var ready = state.socket && state.socket.connected && state.confirmed;
    var waiting = state.queue && state.queue.status === "waiting";
    var node = appendMessage({ role: "user", text: (label || payload).trim(), ts: Date.now(), pending: !ready,
                               note: waiting ? "已收到，人工客服接入后会看到" : null });
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
      if (state.queue && state.queue.status === "waiting" && state.queue.position === 0) refreshQueue();
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

  function showEvent(event) {
    var name = event.event;
    if (name === "transfer" && /^(110|119|120|122)$/.test(event.to)) {
      appendCard("emergency", { to: event.to });
    } else if (name === "handoff_queued") {
      enterQueue(typeof event.position === "number" ? event.position + 1 : 0);
    } else if (name === "seat_message" && typeof event.seat === "string" && typeof event.text === "string") {
      showSeatMessage(event.seat, event.text);
    } else if (name === "handoff_resumed" || name === "handoff_expired") {
      leaveQueue();
      if (name === "handoff_resumed") appendCard("rate_seat", {});
    }
    (state.listeners[name] || []).forEach(function (fn) { fn(event); });
  }

  /* Rasa sends a seat's words as text (split at blank lines), then the seat_message event: the
     text just shown becomes one message in the seat's colour with the work number. */
  function showSeatMessage(seat, text) {
    var parts = text.trim().split("\n\n").length;
    var tail = state.transcript.slice(-parts);
    if (tail.length === parts && tail.every(function (m) { return m.role === "bot"; })) {
      state.transcript.splice(state.transcript.length - parts, parts);
      renderAll();
    }
    if (state.queue) state.queue.status = "taken";
    showQueue();
    appendMessage({ role: "seat", seat: seat, text: text, ts: Date.now() });
  }

  /* ---------- waiting for a person: 排队中 · 第N位 ---------- */

  function showQueue() {
    var banner = $("queue-banner");
    if (!state.queue) { banner.hidden = true; banner.textContent = ""; return; }
    if (state.queue.status === "taken") {
      banner.textContent = "人工客服已接入，正在为您服务";
      banner.className = "queue-banner queue-taken";
    } else {
      banner.textContent = state.queue.position > 0 ? "排队中 · 第" + state.queue.position + "位" : "排队中，请稍候";
      banner.className = "queue-banner";
    }
    banner.hidden = false;
    setStatus("connected", state.queue.status === "taken" ? "人工客服接待中" : "正在等候人工客服");
  }

  function enterQueue(position) {
    stopWaiting();
    state.queue = { status: "waiting", position: position };
    showQueue();
    pollQueue();
  }

  function leaveQueue() {
    state.queue = null;
    if (state.queueTimer) clearTimeout(state.queueTimer);
    state.queueTimer = null;
    showQueue();
    setStatus("connected", "已连接");
  }

  /* The place in the queue changes as seats take others: ask the server (GET /my/queue). */
  function refreshQueue() {
    return window.fetch("/my/queue", { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (place) {
      if (!place) return;
      if (place.status === "waiting" || place.status === "taken") {
        state.queue = { status: place.status, position: place.position || 0 };
        showQueue();
      } else if (state.queue) {
        leaveQueue();
      }
    }).catch(function () { /* offline: the banner keeps its last figure */ });
  }

  function pollQueue() {
    if (state.queueTimer) clearTimeout(state.queueTimer);
    var seconds = (state.config && state.config.queue_poll_seconds) || 5;
    state.queueTimer = setTimeout(function () {
      if (!state.queue) return;
      refreshQueue().then(function () { if (state.queue) pollQueue(); });
    }, seconds * 1000);
  }

  /* ---------- new conversation ---------- */

  function startNewConversation() {
    stopWaiting();
    leaveQueue();
    state.extra = {};
    (state.listeners.new_conversation || []).forEach(function (fn) { fn(); });
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

  /* 已输入 N / 上限: visible from the first character, red with the reason past the limit. */
  function updateCounter() {
    var counter = $("counter");
    var length = els.input.value.length;
    var over = length > messageLimit();
    counter.textContent = length ? length + " / " + messageLimit() + " 字" + (over ? "，超出" + (length - messageLimit()) + "字，请删减或分几次发送" : "") : "";
    counter.classList.toggle("counter-over", over);
    els.input.setAttribute("aria-invalid", over ? "true" : "false");
    if (!over) setError("length", null);
  }

  function submitInput() {
    if (sendMessage(els.input.value)) {
      els.input.value = "";
      autoGrow();
      updateCounter();
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
    els.input.addEventListener("input", function () { autoGrow(); updateCounter(); });
    $("menu-seat").addEventListener("click", function () { sendMessage("转人工"); });
    $("menu-faq").addEventListener("click", function () {
      var questions = (state.config && state.config.faq) || [];
      appendCard("faq", { questions: questions });
    });

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
        refreshQueue().then(function () { if (state.queue) pollQueue(); });
        (state.listeners.ready || []).forEach(function (fn) { fn(cfg); });
      });
  }

  /* ---------- what cards.js, mytickets.js and location.js use ---------- */

  window.HotlineChat = {
    send: sendMessage,
    addCard: appendCard,
    save: saveTranscript,
    setError: setError,
    config: function () { return state.config || {}; },
    on: function (name, fn) { (state.listeners[name] = state.listeners[name] || []).push(fn); },
    render: function (kind, fn) { state.renderers[kind] = fn; },
    setExtra: function (key, value) {
      if (value === null || value === undefined) delete state.extra[key]; else state.extra[key] = value;
    },
    focusInput: function () { els.input.focus(); },
    scrollToEnd: scrollToBottom,
    setInput: function (text) { els.input.value = text; autoGrow(); updateCounter(); els.input.focus(); }
  };

  // The other scripts load after this one and register their cards first.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else setTimeout(start, 0);
})();
