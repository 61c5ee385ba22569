/* 12345 staff portal (热线工作门户) at /portal: the shell every panel lives in.
 *
 * Sign-in is the seat console's (seats/staff.js: the same sessionStorage token and login form);
 * after it GET /api/me says who is signed in. Panels are separate scripts that register
 * themselves before the page starts:
 *
 *   Portal.register({id: "dashboard", title: "数据看板", roles: ["seat", "office", "readonly"],
 *                    order: 10, render: function (container, ctx) { ... }});
 *
 * The nav lists the panels the signed-in role may see, by order; the chosen one is rendered
 * into a fresh container (again on re-select) and its id kept in location.hash so a link or a
 * reload opens it. ctx = {api, me, el, banner, charts, refresh}: api(method, path, body) calls
 * /api with the token and rejects with the server's Chinese message.
 */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var panels = [];
  var state = { me: null, current: null, started: false };
  var session = HotlineStaff.session("/api", function (message) { signOut(message); });

  /* ---------- helpers given to panels ---------- */

  /* el("button", {class: "x", text: "签收", type: "button", onclick: f, disabled: true}, [child, "text"]) */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) return;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.slice(0, 2) === "on" && typeof value === "function") node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, "");
      else node.setAttribute(key, String(value));
    });
    [].concat(children === undefined || children === null ? [] : children).forEach(function (child) {
      if (child === undefined || child === null || child === false) return;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    });
    return node;
  }

  /* kind "ok" (goes away after a while), "info" or "error" (default: stays until replaced). */
  function banner(text, kind) {
    var b = $("banner");
    b.textContent = text || "";
    b.hidden = !text;
    b.className = "banner" + (kind === "ok" ? " ok" : kind === "info" ? " info" : "");
    if (text && kind === "ok") setTimeout(function () { if (b.textContent === text) banner(""); }, 6000);
  }

  function context() {
    return { api: session.api, me: state.me, el: el, banner: banner,
             charts: window.PortalCharts, refresh: function () { show(state.current); } };
  }

  /* ---------- panels ---------- */

  function register(panel) {
    if (!panel || !panel.id || typeof panel.render !== "function") throw new Error("Portal.register: 需要 id 和 render");
    panels = panels.filter(function (p) { return p.id !== panel.id; });
    panels.push(panel);
    if (!state.me) return;
    // A script that came late still shows up, and opens if the link named it.
    buildNav();
    if (location.hash.slice(1) === panel.id && state.current !== panel.id) show(panel.id);
    else markNav();
  }

  function visible() {
    var role = state.me && state.me.role;
    return panels.filter(function (p) { return !p.roles || p.roles.indexOf(role) >= 0; })
      .sort(function (a, b) { return (a.order || 0) - (b.order || 0) || a.title.localeCompare(b.title, "zh"); });
  }

  function buildNav() {
    var nav = $("nav");
    nav.textContent = "";
    var list = visible();
    list.forEach(function (p) {
      nav.appendChild(el("a", { href: "#" + p.id, id: "nav-" + p.id, class: "nav-item", "data-panel": p.id,
        onclick: function (e) { e.preventDefault(); choose(p.id); } }, p.title));
    });
    if (!list.length) nav.appendChild(el("p", { class: "nav-empty" }, "您的角色暂无可用功能。"));
  }

  function choose(id) {
    if (location.hash !== "#" + id) history.replaceState(null, "", "#" + id);
    show(id);
  }

  function markNav() {
    Array.prototype.forEach.call(document.querySelectorAll(".nav-item"), function (a) {
      var on = a.getAttribute("data-panel") === state.current;
      a.classList.toggle("active", on);
      if (on) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
  }

  /* A fresh container each time: a panel never finds the previous render's leftovers. */
  function show(id) {
    var list = visible();
    var panel = list.filter(function (p) { return p.id === id; })[0] || list[0];
    var area = $("panel");
    area.textContent = "";
    banner("");
    state.current = panel ? panel.id : null;
    markNav();
    if (!panel) {
      $("where").textContent = "";
      area.appendChild(el("p", { class: "portal-empty" }, "您的角色暂无可用功能，请联系热线办。"));
      return;
    }
    // A link to a panel this role does not have opens its first one; the address says which.
    if (location.hash && location.hash.slice(1) !== panel.id) history.replaceState(null, "", "#" + panel.id);
    $("where").textContent = panel.title;
    document.title = panel.title + " - 12345 热线工作门户";
    var container = el("section", { class: "portal-panel", id: "panel-" + panel.id, "aria-label": panel.title });
    area.appendChild(container);
    try {
      panel.render(container, context());
    } catch (error) {
      banner("「" + panel.title + "」显示出错：" + error.message);
    }
  }

  /* ---------- signing in and out ---------- */

  function signIn(token) {
    session.token = token;
    return session.api("GET", "/me").then(function (me) {
      state.me = me;
      session.keep();
      $("me-name").textContent = me.name;
      $("me-role").textContent = me.role_label;
      $("me-department").textContent = me.department || "";
      $("me-department").hidden = !me.department;
      $("whoami").hidden = false;
      $("login").hidden = true;
      $("shell").hidden = false;
      buildNav();
      show(location.hash.slice(1));
    });
  }

  function signOut(message) {
    session.forget();
    state.me = null;
    state.current = null;
    $("whoami").hidden = true;
    $("shell").hidden = true;
    $("panel").textContent = "";
    $("nav").textContent = "";
    $("where").textContent = "";
    banner("");
    HotlineStaff.showLogin(message);
  }

  function start() {
    if (state.started) return;
    state.started = true;
    $("logout").addEventListener("click", function () { signOut(""); });
    window.addEventListener("hashchange", function () {
      if (state.me && location.hash.slice(1) !== state.current) show(location.hash.slice(1));
    });
    HotlineStaff.startLogin(signIn, signOut);
  }

  window.Portal = { register: register, el: el, banner: banner };
  // Deferred panel scripts run after this one and before DOMContentLoaded: all are registered by then.
  document.addEventListener("DOMContentLoaded", start);
})();
