/* Consent component of the Edelstahlmagazin: third-party embeds load only after a click.
   No framework, no inline script (strict CSP). Contract: see plugins/consent/consent.py.
   Nothing here talks to any host before the reader clicks (no preconnect, not on hover). */
(function () {
  "use strict";

  var STORE = "magazin-consent";
  // Where to report a clicked video (plugins/magazin/statistics): our own server, after the
  // click only, with the video's id and nothing else ("" = nothing is reported).
  var COUNT = (document.currentScript && document.currentScript.getAttribute("data-statistik")) || "";

  function readChoices() {
    try {
      var data = JSON.parse(window.localStorage.getItem(STORE) || "{}");
      return data && typeof data === "object" ? data : {};
    } catch (e) {
      return {};
    }
  }

  function writeChoices(data) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(data));
    } catch (e) { /* storage disabled: the choice lasts for this page only */ }
  }

  function isAllowed(key) {
    return Object.prototype.hasOwnProperty.call(readChoices(), key);
  }

  function allow(key) {
    var data = readChoices();
    data[key] = { since: new Date().toISOString().slice(0, 10) };
    writeChoices(data);
  }

  function revoke(key) {
    var data = readChoices();
    delete data[key];
    writeChoices(data);
  }

  function load(box, byClick) {
    if (box.getAttribute("data-consent-state") === "loaded") return;
    var stage = box.querySelector("[data-consent-stage]");
    var src = (byClick && box.getAttribute("data-consent-src-play")) || box.getAttribute("data-consent-src");
    if (!stage || !src) return;
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = box.getAttribute("data-consent-title") || box.getAttribute("data-consent-name") || "";
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    var permissions = box.getAttribute("data-consent-allow");
    if (permissions) frame.setAttribute("allow", permissions);
    frame.setAttribute("allowfullscreen", "");
    frame.className = "consent__frame";
    while (stage.firstChild) stage.removeChild(stage.firstChild);
    stage.appendChild(frame);
    box.setAttribute("data-consent-state", "loaded");
    box.classList.add("consent--loaded");
    if (byClick) {
      frame.focus();
      report(box);
    }
  }

  // A plain GET to our own origin (connect-src 'self'): no cookie, no referrer, no identifier;
  // nginx answers 204 and only its access log (shortened IP) records it.
  function report(box) {
    var id = box.id || "";
    if (!COUNT || id.indexOf("video-") !== 0 || !window.fetch) return;
    try {
      window.fetch(COUNT + "video/" + encodeURIComponent(id.slice(6)), {
        credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer", keepalive: true
      }).catch(function () { /* counting is never the reader's problem */ });
    } catch (e) { /* old browser: nothing is counted */ }
  }

  function setupPlaceholder(box) {
    var key = box.getAttribute("data-consent");
    var button = box.querySelector("[data-consent-load]");
    var always = box.querySelector("[data-consent-always]");
    var poster = box.querySelector("[data-consent-poster]");
    if (always && always.parentElement) always.parentElement.hidden = false;
    Array.prototype.forEach.call(box.querySelectorAll("[data-consent-js]"), function (el) {
      el.hidden = false;
    });
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (always && always.checked) allow(key);
        load(box, true);
      });
    }
    if (poster) {
      // With the script the poster is a second way to the button, not a link away.
      poster.setAttribute("tabindex", "-1");
      poster.setAttribute("aria-hidden", "true");
      poster.addEventListener("click", function (event) {
        event.preventDefault();
        if (button) button.click();
      });
    }
    box.classList.add("consent--ready");
    if (isAllowed(key)) load(box, false);
  }

  function setupManager(manager) {
    var items = manager.querySelectorAll("[data-consent-item]");
    var nojs = manager.querySelector("[data-consent-nojs]");
    if (nojs) nojs.hidden = true;
    Array.prototype.forEach.call(items, function (item) {
      var key = item.getAttribute("data-consent-item");
      var status = item.querySelector("[data-consent-status]");
      var button = item.querySelector("[data-consent-revoke]");
      var name = item.querySelector(".consent-manager__name");
      var label = name ? name.textContent : key;
      function render() {
        var choice = readChoices()[key];
        if (choice) {
          status.textContent = "Immer erlaubt" + (choice.since ? " seit " + formatDate(choice.since) : "") +
            ": " + label + "-Inhalte werden ohne weiteren Klick geladen.";
          button.hidden = false;
        } else {
          status.textContent = "Nicht dauerhaft erlaubt: Inhalte werden erst nach Ihrem Klick geladen.";
          button.hidden = true;
        }
      }
      if (button) {
        button.addEventListener("click", function () {
          revoke(key);
          render();
          status.setAttribute("tabindex", "-1");
          status.focus();
        });
      }
      render();
    });
  }

  // X's Tweet.html cannot size itself across origins; it posts its height instead
  // ({"twttr.embed": {"method": "twttr.private.resize", "params": [{"height": …}]}}).
  function resize(event) {
    var data = event.data;
    if (typeof data === "string") {
      try { data = JSON.parse(data); } catch (e) { return; }
    }
    var call = data && data["twttr.embed"];
    if (!call || call.method !== "twttr.private.resize" || !call.params || !call.params[0]) return;
    var height = Math.round(Number(call.params[0].height));
    if (!(height > 0 && height < 10000)) return;
    var frames = document.querySelectorAll("[data-consent-resize] iframe");
    Array.prototype.forEach.call(frames, function (frame) {
      var box = frame.closest("[data-consent-resize]");
      if (frame.contentWindow === event.source && box.getAttribute("data-consent-resize") === event.origin) {
        frame.setAttribute("height", String(height));
        frame.style.height = height + "px"; // CSSOM, not a style="" attribute: allowed by the CSP
      }
    });
  }

  function formatDate(iso) {
    var parts = String(iso).split("-");
    return parts.length === 3 ? parts[2] + "." + parts[1] + "." + parts[0] : iso;
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-consent]"), setupPlaceholder);
    Array.prototype.forEach.call(document.querySelectorAll("[data-consent-manager]"), setupManager);
    if (document.querySelector("[data-consent-resize]")) window.addEventListener("message", resize);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
