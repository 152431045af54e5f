/* Reader comments of the Edelstahlmagazin (plugins/magazin/comments): Isso, after a click.
   Until the reader clicks „Kommentare anzeigen und schreiben“ this script sends nothing to
   anybody and stores nothing. After the click it asks the comment server for its /config; if
   that fails it says so in German and offers to try again. Otherwise it loads Isso's
   embed.min.js (copied from the pinned package, served from our origin) with the settings as
   data-isso-* attributes (Isso reads them from its <script> element: no inline script under
   our CSP) and tidies Isso's markup for labels, German dates and screen readers. */
(function () {
  "use strict";

  var root = document.querySelector("[data-comments]");
  if (!root) return;
  var button = root.querySelector("[data-comments-open]");
  var status = root.querySelector("[data-comments-status]");
  var thread = root.querySelector("#isso-thread");
  var noteTemplate = root.querySelector("[data-comments-formnote]");
  if (!button || !thread) return;

  // Isso's German texts, adjusted to the magazine (data-isso-<key>-text-de overrides one string).
  var TEXTS = {
    "postbox-text": "Ihr Kommentar (mindestens 3 Zeichen)",
    "postbox-author": "Name (freiwillig)",
    "postbox-email": "E-Mail (freiwillig)",
    "postbox-submit": "Kommentar absenden",
    "postbox-preview": "Vorschau",
    "postbox-edit": "Weiter bearbeiten",
    "no-comments": "Noch keine Kommentare – schreiben Sie den ersten.",
    "num-comments": "1 Kommentar\n{{ n }} Kommentare",
    "comment-queued": "Danke! Ihr Kommentar wartet auf Freigabe durch die Redaktion.",
    "comment-anonymous": "Anonym",
    "comment-reply": "Antworten",
    "comment-close": "Schließen"
  };
  var SETTINGS = {
    "lang": "de",
    "default-lang": "de",
    "vote": "false",
    "avatar": "false",
    "gravatar": "false",
    "reply-notifications": "false",
    "sorting": "oldest",
    "max-comments-top": "inf",
    "max-comments-nested": "inf",
    "reveal-on-click": "10"
  };
  var DOWN = "Die Kommentare sind gerade nicht erreichbar. Der Artikel bleibt vollständig lesbar – " +
    "bitte versuchen Sie es später noch einmal.";
  var UNSENT = "Ihr Kommentar konnte nicht gesendet werden. Ihr Text steht noch im Feld – " +
    "bitte versuchen Sie es in einigen Minuten noch einmal.";
  var DATE = { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" };

  button.hidden = false;
  var loaded = false;
  var observer = null;

  // Tell the reader (role=status); quiet: for screen readers only (the page shows it already).
  function say(text, problem, quiet) {
    status.textContent = text;
    status.classList.toggle("comments__status--problem", !!problem);
    status.classList.toggle("visually-hidden", !!quiet);
  }

  function endpoint() {
    return (root.getAttribute("data-comments-url") || "").replace(/\/+$/, "");
  }

  function failed() {
    loaded = false; // the script did not run: a retry may load it again
    button.disabled = false;
    button.hidden = false;
    button.setAttribute("aria-expanded", "false");
    button.textContent = "Erneut versuchen";
    thread.hidden = true;
    say(DOWN, true);
  }

  // fn for node itself and each descendant matching selector
  function each(node, selector, fn) {
    if (node.matches(selector)) fn(node);
    Array.prototype.forEach.call(node.querySelectorAll(selector), fn);
  }

  function tidy(node) {
    if (!node.querySelectorAll) return;
    each(node, "textarea.isso-textarea:not([aria-label])", function (area) {
      area.setAttribute("aria-label", "Ihr Kommentar");
    });
    each(node, ".isso-postbox", function (box) {
      if (box.querySelector(".comments__formnote") || !noteTemplate) return;
      var wrapper = box.querySelector(".isso-form-wrapper") || box;
      wrapper.appendChild(noteTemplate.content.cloneNode(true));
    });
    each(node, "time[datetime]:not([data-de])", function (time) {
      var date = new Date(time.getAttribute("datetime"));
      if (!isNaN(date.getTime())) time.title = date.toLocaleString("de-DE", DATE) + " Uhr";
      time.setAttribute("data-de", "");
    });
    each(node, ".isso-note", function (note) {
      if (note.textContent && !note.hasAttribute("data-said")) {
        note.setAttribute("data-said", "");
        say(note.textContent, false, true);
      }
    });
    each(node, "h4.isso-thread-heading", promoteHeading);
    each(node, ".isso-postbox input[type=submit]", watchSubmit);
  }

  // Isso only logs a failed post to the console. It disables the submit button while sending
  // and enables it again afterwards, clearing the text on success: enabled with text left = failed.
  function watchSubmit(submit) {
    var box = submit.closest(".isso-postbox");
    new MutationObserver(function () {
      var area = box && box.querySelector("textarea");
      if (!submit.disabled && area && area.value.length > 0) {
        say(UNSENT, true);
      } else if (submit.disabled) {
        say("Wird gesendet …", false, true);
      }
    }).observe(submit, { attributes: true, attributeFilter: ["disabled"] });
  }

  // Isso's count heading is an <h4> right under our <h2>: a skipped level (vnu, screen readers).
  // Put an <h3> in its place and mirror the text Isso keeps writing into the detached <h4>.
  function promoteHeading(h4) {
    var h3 = document.createElement("h3");
    h3.className = h4.className;
    h3.setAttribute("tabindex", "-1");
    h3.textContent = h4.textContent;
    new MutationObserver(function () {
      h3.textContent = h4.textContent;
    }).observe(h4, { childList: true, characterData: true, subtree: true });
    h4.replaceWith(h3);
    say("");
    h3.focus({ preventScroll: true });
  }

  function loadIsso() {
    var script = document.createElement("script");
    script.src = root.getAttribute("data-comments-script");
    script.setAttribute("data-isso", endpoint());
    script.setAttribute("data-isso-css", "true");
    script.setAttribute("data-isso-css-url", root.getAttribute("data-comments-css"));
    Object.keys(SETTINGS).forEach(function (key) {
      script.setAttribute("data-isso-" + key, SETTINGS[key]);
    });
    Object.keys(TEXTS).forEach(function (key) {
      script.setAttribute("data-isso-" + key + "-text-de", TEXTS[key].replace(/\n/g, "\\n"));
    });
    script.onerror = function () {
      script.remove();
      failed();
    };
    if (!observer) {
      observer = new MutationObserver(function (records) {
        records.forEach(function (record) {
          Array.prototype.forEach.call(record.addedNodes, tidy);
        });
      });
      observer.observe(thread, { childList: true, subtree: true });
    }
    thread.hidden = false;
    button.hidden = true;
    button.setAttribute("aria-expanded", "true");
    loaded = true;
    document.body.appendChild(script);
  }

  function open() {
    if (loaded) return;
    button.disabled = true;
    say("Kommentare werden geladen …", false);
    var url = endpoint() + "/config";
    var request = window.fetch
      ? window.fetch(url, { mode: "cors", credentials: "omit", cache: "no-store" })
      : Promise.reject(new Error("fetch"));
    request.then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(loadIsso, failed);
  }

  button.addEventListener("click", open);
})();
