/*
 * The reflection assistant's chat widget. One tag on the practice's page:
 *
 *   <script src="https://portal.example/widget/reflection-widget.js" defer
 *     data-server="https://chat.example"          (the Rasa server)
 *     data-token="<JWT>"  or  data-token-url="/reflection-token"
 *     data-practice-name="..." data-clinician-name="..." data-clinician-phone="..."
 *     data-clinician-hours="..." data-aftercare="A; B" data-crisis-line="..."
 *     data-emergency-number="..."></script>
 *
 * No dependencies, no inline script or style (a strict Content-Security-Policy
 * works), every text is set with textContent. The transcript lives in
 * sessionStorage only: it is gone when the tab closes. "Get help now" shows the
 * practice's numbers from the tag itself, so it works with the server down.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__reflectionWidget) return;
  window.__reflectionWidget = true;

  var cfg = script.dataset;
  var server = (cfg.server || "").replace(/\/+$/, "");
  var KEY = "reflection-widget:";
  var state = { token: null, transcript: [], open: false, busy: false };

  // --- storage (sessionStorage only; a browser that refuses it just forgets) ---
  function load(name) {
    try { return JSON.parse(window.sessionStorage.getItem(KEY + name)); } catch (e) { return null; }
  }
  function save(name, value) {
    try { window.sessionStorage.setItem(KEY + name, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function forgetAll() {
    try {
      ["transcript", "token", "open"].forEach(function (n) { window.sessionStorage.removeItem(KEY + n); });
    } catch (e) { /* nothing stored */ }
  }

  // --- building elements: text only, never HTML ---
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs.text;
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function telLink(text) {
    var digits = (text.match(/\+?\d/g) || []).join("");
    if (digits.replace("+", "").length < 3) return el("span", { text: text });
    return el("a", { href: "tel:" + digits, text: text });
  }

  // --- the widget's parts ---
  var css = el("link", { rel: "stylesheet", href: new URL("reflection-widget.css", script.src).href });
  document.head.appendChild(css);

  var root = el("div", { class: "rw-root", id: "reflection-widget" });
  var helpButton = el("button", { type: "button", class: "rw-help-button", "aria-expanded": "false",
    "aria-controls": "rw-help", text: "Get help now" });
  var launcher = el("button", { type: "button", class: "rw-launcher", "aria-expanded": "false",
    "aria-controls": "rw-panel", text: "Reflect between sessions" });

  var helpTitle = el("h2", { id: "rw-help-title", text: "Get help now" });
  var helpList = el("ul", { class: "rw-help-list" });
  function helpItem(label, value) {
    if (!value) return;
    helpList.appendChild(el("li", {}, [el("strong", { text: label + ": " }), telLink(value)]));
  }
  helpItem("Emergency", cfg.emergencyNumber);
  helpItem("Crisis line", cfg.crisisLine);
  (cfg.aftercare || "").split(";").forEach(function (c) { helpItem("Aftercare", c.trim()); });
  if (cfg.clinicianPhone) {
    helpItem("Your clinician" + (cfg.clinicianName ? " (" + cfg.clinicianName + ")" : ""),
      cfg.clinicianPhone);
  }
  var helpClose = el("button", { type: "button", class: "rw-secondary", text: "Close" });
  var help = el("section", { id: "rw-help", class: "rw-help", role: "dialog", "aria-labelledby": "rw-help-title", hidden: "" }, [
    helpTitle,
    el("p", { text: "If you are in danger or might hurt yourself or someone else, call " +
      (cfg.emergencyNumber || "your local emergency number") + " now." }),
    el("p", { text: "This chat is not monitored live. These people can help right away:" }),
    helpList,
    cfg.clinicianHours ? el("p", { text: "Your clinician's hours: " + cfg.clinicianHours }) : null,
    helpClose,
  ]);

  var log = el("div", { class: "rw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "Conversation", tabindex: "0" });
  var typing = el("div", { class: "rw-typing", role: "status", "aria-live": "polite" });
  var input = el("textarea", { id: "rw-input", class: "rw-input", rows: "2", maxlength: "5000",
    autocomplete: "off", "aria-describedby": "rw-input-hint" });
  var inputLabel = el("label", { for: "rw-input", class: "rw-visually-hidden", text: "Your message" });
  var hint = el("p", { id: "rw-input-hint", class: "rw-visually-hidden", text: "Press Enter to send, Shift and Enter for a new line." });
  var sendButton = el("button", { type: "submit", class: "rw-send", text: "Send" });
  var form = el("form", { class: "rw-form" }, [inputLabel, hint, input, sendButton]);
  var clearButton = el("button", { type: "button", class: "rw-secondary rw-clear", text: "Clear this chat from this device" });
  var closeButton = el("button", { type: "button", class: "rw-close", "aria-label": "Close the chat", text: "\u00d7" });
  var title = el("h2", { id: "rw-title", text: cfg.title || ((cfg.practiceName ? cfg.practiceName + ": " : "") + "reflection assistant") });
  var panel = el("section", { id: "rw-panel", class: "rw-panel", role: "region", "aria-labelledby": "rw-title", hidden: "" }, [
    el("div", { class: "rw-header" }, [title, closeButton]),
    el("p", { class: "rw-note", text: "Not monitored live. In an emergency use \u201cGet help now\u201d." }),
    log, typing, form,
    el("div", { class: "rw-footer" }, [clearButton]),
  ]);
  root.appendChild(help);
  root.appendChild(panel);
  root.appendChild(el("div", { class: "rw-bar" }, [helpButton, launcher]));

  // --- transcript ---
  // Web addresses and phone numbers in the bot's messages become links
  // (tel: for numbers, so a phone dials them); everything else is text. A
  // number is a phone number when it has 7 digits or more (not a date), or
  // is one of the practice's short numbers (emergency, crisis line).
  var shortNumbers = [cfg.emergencyNumber, cfg.crisisLine].join(" ").match(/\d{2,6}/g) || [];
  function isPhone(candidate) {
    var digits = candidate.replace(/\D/g, "");
    if (/^\d{4}-\d{2}-\d{2}$/.test(candidate)) return false;
    return digits.length >= 7 || shortNumbers.indexOf(digits) >= 0 && digits === candidate;
  }
  function appendText(span, part) {
    var last = 0;
    part.replace(/\+?\(?\d[\d\s().-]*\d|\b\d+\b/g, function (match, offset) {
      var candidate = match.trim();
      if (!isPhone(candidate)) return match;
      span.appendChild(document.createTextNode(part.slice(last, offset)));
      span.appendChild(telLink(candidate));
      last = offset + match.length;
      return match;
    });
    span.appendChild(document.createTextNode(part.slice(last)));
  }
  function textWithLinks(text, linkify) {
    var span = el("span", { class: "rw-text" });
    String(text).split(/(https?:\/\/[^\s]+)/).forEach(function (part, i) {
      if (linkify && i % 2 === 1) {
        span.appendChild(el("a", { href: part, target: "_blank", rel: "noopener noreferrer", text: part }));
      } else if (part && linkify) {
        appendText(span, part);
      } else if (part) {
        span.appendChild(document.createTextNode(part));
      }
    });
    return span;
  }
  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function removeButtons() {
    Array.prototype.forEach.call(log.querySelectorAll(".rw-buttons"), function (g) { g.remove(); });
  }
  function render(entry) {
    var bubble = el("div", { class: "rw-message rw-" + entry.who }, [
      el("span", { class: "rw-visually-hidden", text: entry.who === "bot" ? "Assistant: " : entry.who === "client" ? "You: " : "" }),
      textWithLinks(entry.text, entry.who === "bot"),
    ]);
    log.appendChild(bubble);
    if (entry.buttons && entry.buttons.length) {
      var group = el("div", { class: "rw-buttons", role: "group", "aria-label": "Suggested replies" });
      entry.buttons.forEach(function (b) {
        var button = el("button", { type: "button", class: "rw-quick", text: b.title });
        button.addEventListener("click", function () { send(b.payload, b.title); });
        group.appendChild(button);
      });
      log.appendChild(group);
    }
    scrollDown();
  }
  function add(entry) {
    if (entry.buttons || entry.who === "client") {
      removeButtons();
      state.transcript.forEach(function (e) { delete e.buttons; });
    }
    state.transcript.push(entry);
    save("transcript", state.transcript);
    render(entry);
  }
  function notice(text, retry) {
    var box = el("div", { class: "rw-message rw-notice" }, [el("span", { class: "rw-text", text: text })]);
    if (retry) {
      var again = el("button", { type: "button", class: "rw-quick", text: "Send again" });
      again.addEventListener("click", function () { box.remove(); retry(); });
      box.appendChild(again);
    }
    log.appendChild(box);
    scrollDown();
  }

  // --- talking to the server ---
  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  // A link's token (#reflection-token=...) is a client opening their own chat:
  // whatever this tab held for someone else is dropped first.
  function takeLinkToken() {
    var fromHash = /[#&]reflection-token=([A-Za-z0-9._-]+)/.exec(window.location.hash);
    if (!fromHash) return;
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    if (fromHash[1] === state.token) return;
    forgetAll();
    state.transcript = [];
    log.textContent = "";
    state.token = fromHash[1];
    save("token", state.token);
  }
  window.addEventListener("hashchange", takeLinkToken);
  async function token() {
    if (state.token) return state.token;
    if (cfg.token) {
      state.token = cfg.token;
    } else if (cfg.tokenUrl) {
      var reply = await fetch(cfg.tokenUrl, { method: "POST", credentials: "same-origin" });
      if (reply.ok) state.token = (await reply.json()).token;
    }
    if (state.token) save("token", state.token);
    return state.token;
  }
  function setBusy(busy) {
    state.busy = busy;
    typing.textContent = busy ? "The assistant is typing\u2026" : "";
    typing.classList.toggle("rw-visible", busy);
    sendButton.disabled = busy;
  }
  async function post(text, messageId) {
    var auth = await token();
    if (!auth) {
      notice("This chat needs a link from your practice. Please open the chat from your practice's web site.");
      return;
    }
    var reply = await fetch(server + "/webhooks/reflection/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + auth },
      body: JSON.stringify({ message: text, message_id: messageId }),
    });
    var body = await reply.json().catch(function () { return null; });
    if (reply.status === 401) {
      state.token = null;
      forgetAll();
      save("transcript", state.transcript);
    }
    if (!reply.ok) {
      // Too fast (429) or a server fault: the message was not taken, and is kept to send again.
      var again = reply.status === 429 || reply.status >= 500;
      notice((body && body.error) || "Something went wrong on our side. Please try again in a moment.",
        again ? function () { send(text, null, messageId); } : null);
      return;
    }
    if ((body || []).some(function (m) { return m.custom && m.custom.erase_transcript; })) {
      // The client deleted their data: nothing stays on this device either, and
      // the token (refused from now on) makes way for a new one.
      forgetAll();
      state.token = null;
      state.transcript = [];
      save("transcript", state.transcript);
      log.textContent = "";
    }
    (body || []).forEach(function (m) {
      if (m.text || (m.buttons && m.buttons.length)) {
        add({ who: "bot", text: m.text || "", buttons: (m.buttons || []).map(function (b) {
          return { title: String(b.title), payload: String(b.payload) };
        }) });
      }
    });
  }
  async function send(text, shown, messageId) {
    if (state.busy || !text.trim()) return;
    messageId = messageId || newId();
    if (shown !== null && shown !== undefined) add({ who: "client", text: shown });
    setBusy(true);
    try {
      await post(text, messageId);
    } catch (e) {
      notice("I couldn't reach the assistant just now, so that message wasn't sent. " +
        "Please try again in a moment. If you need help now, use \u201cGet help now\u201d.",
        function () { send(text, null, messageId); });
    } finally {
      setBusy(false);
      if (state.open) input.focus();
    }
  }

  // --- opening, closing, help, clearing ---
  function setOpen(open) {
    state.open = open;
    save("open", open);
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      input.focus();
      scrollDown();
      if (!state.transcript.length) send("/greet", null);
    }
  }
  launcher.addEventListener("click", function () { setOpen(!state.open); if (!state.open) launcher.focus(); });
  closeButton.addEventListener("click", function () { setOpen(false); launcher.focus(); });
  function setHelp(open) {
    help.hidden = !open;
    root.classList.toggle("rw-help-open", open);  // the numbers take the chat's place
    helpButton.setAttribute("aria-expanded", String(open));
    (open ? helpClose : helpButton).focus();
  }
  helpButton.addEventListener("click", function () { setHelp(help.hidden); });
  helpClose.addEventListener("click", function () { setHelp(false); });
  root.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (!help.hidden) setHelp(false);
    else if (state.open) { setOpen(false); launcher.focus(); }
  });
  clearButton.addEventListener("click", function () {
    forgetAll();
    state.transcript = [];
    state.token = null;
    log.textContent = "";
    notice("This chat is cleared from this device. Your saved answers stay with your practice.");
    input.focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim() || state.busy) return;
    input.value = "";
    send(text, text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  // --- start: continue where this tab left off ---
  function start() {
    document.body.appendChild(root);
    state.token = load("token");
    state.transcript = load("transcript") || [];
    takeLinkToken();
    state.transcript.forEach(render);
    if (load("open")) setOpen(true);
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
