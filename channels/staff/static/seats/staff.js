/* 12345 staff pages (seat console /seats, dispatch page /seats/dispatch): what they share.
 *
 * The staff token, kept in this window's sessionStorage only (the same key for both pages, so a
 * seat signed in on the console opens the dispatch page signed in), the login form
 * (#login-form, #token, #login-submit, #login-error inside #login), and JSON calls with the Bearer
 * token whose errors carry the server's own (Chinese) message.
 */
(function () {
  "use strict";

  var TOKEN_KEY = "hotline.seats.token";
  var $ = function (id) { return document.getElementById(id); };

  /* Calls to one API (base "/seats/api" or "/api"); a 401 calls expired(message) to sign out. */
  function session(base, expired) {
    var self = { token: null };
    self.api = function (method, path, body) {
      var options = { method: method, headers: { "Authorization": "Bearer " + self.token }, cache: "no-store" };
      if (body !== undefined) {
        options.headers["Content-Type"] = "application/json";
        options.body = JSON.stringify(body);
      }
      return fetch(base + path, options).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.status === 401) { expired("登录已失效，请重新输入工作令牌。"); }
          if (!response.ok) {
            var message = (data && data.error && data.error.message) || ("服务器返回错误 " + response.status);
            var error = new Error(message);
            error.status = response.status;
            throw error;
          }
          return data;
        });
      }, function () {
        throw new Error("连不上服务器，请检查网络后重试。");
      });
    };
    /* The token is remembered only once the server took it. */
    self.keep = function () {
      try { sessionStorage.setItem(TOKEN_KEY, self.token); } catch (e) { /* private mode */ }
    };
    self.forget = function () {
      self.token = null;
      try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* ignore */ }
    };
    return self;
  }

  function showLogin(message) {
    $("login").hidden = false;
    $("token").value = "";
    var error = $("login-error");
    error.textContent = message || "";
    error.hidden = !message;
    $("token").focus();
  }

  /* signIn(token) returns a promise; signOut(message) shows the login again. A token kept from
     before (this window) signs in by itself. */
  function startLogin(signIn, signOut) {
    $("login-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var token = $("token").value.trim();
      if (!token) return;
      $("login-submit").disabled = true;
      signIn(token).catch(function (error) {
        signOut(error.status === 401 ? "工作令牌不正确或已停用，请核对后重试。" : error.message);
      }).then(function () { $("login-submit").disabled = false; });
    });
    var saved = null;
    try { saved = sessionStorage.getItem(TOKEN_KEY); } catch (e) { saved = null; }
    if (saved) signIn(saved).catch(function () { signOut("请重新登录。"); });
    else signOut("");
  }

  // One element with a class and text: every page builds its cards with it.
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // The page's #banner: an error stays, a success message goes after keepMs.
  function banner(message, ok, keepMs) {
    var b = document.getElementById("banner");
    b.textContent = message || "";
    b.hidden = !message;
    b.className = "banner" + (ok ? " ok" : "");
    if (message && ok) setTimeout(function () { if (b.textContent === message) banner(""); }, keepMs);
  }

  window.HotlineStaff = { session: session, showLogin: showLogin, startLogin: startLogin, el: el, banner: banner };
})();
