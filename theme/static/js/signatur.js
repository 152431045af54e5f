/* E-mail signature builder (/social-media/signatur/).
   Fills the server-rendered signature templates (tokens like [[NAME]]) with the employee's
   input, shows a preview and copies the signature as rich text (HTML) and plain text.
   The snippet's inline styles are applied to the preview through CSSOM (el.style.cssText),
   which the page's Content-Security-Policy allows; nothing leaves the browser. */
(function () {
  "use strict";

  var form = document.getElementById("sig-form");
  if (!form) return;
  var templateEl = document.getElementById("sig-html-template");
  var htmlTemplate = templateEl.value;
  var styles = JSON.parse(templateEl.getAttribute("data-styles"));
  var textTemplate = document.getElementById("sig-text-template").value;
  var preview = document.getElementById("sig-preview");
  var htmlOut = document.getElementById("sig-html");
  var textOut = document.getElementById("sig-text");
  var copyButton = document.getElementById("sig-copy");
  var copyTextButton = document.getElementById("sig-copy-text");
  var statusEl = document.getElementById("sig-status");
  var inputs = form.querySelectorAll("[data-sig-input]");

  function escapeHtml(value) {
    return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  /* Until the employee types anything, the example values (placeholders) fill the preview;
     after that, empty fields are left out of the signature. */
  function values() {
    var v = {};
    var typed = Array.prototype.some.call(inputs, function (input) { return input.value.trim() !== ""; });
    inputs.forEach(function (input) {
      v[input.getAttribute("data-sig-input")] = typed ? input.value.trim() : input.placeholder;
    });
    v.phone_href = v.phone ? "tel:" + v.phone.replace(/[^0-9+]/g, "") : "";
    v.email_href = v.email ? "mailto:" + v.email : "";
    return v;
  }

  function fillTokens(template, v, asHtml) {
    return template.replace(/\[\[([A-Z_]+)\]\]/g, function (_, key) {
      var value = v[key.toLowerCase()] || "";
      return asHtml ? escapeHtml(value) : value;
    });
  }

  function allFilled(names, v) {
    return names.split(" ").every(function (n) { return (v[n] || "") !== ""; });
  }

  function anyFilled(names, v) {
    return names.split(" ").some(function (n) { return (v[n] || "") !== ""; });
  }

  /* The signature as a detached document: empty lines and separators removed. */
  function buildHtml(v) {
    var doc = new DOMParser().parseFromString(fillTokens(htmlTemplate, v, true), "text/html");
    doc.querySelectorAll("[data-sig-field]").forEach(function (el) {
      if (!anyFilled(el.getAttribute("data-sig-field"), v)) el.remove();
      else el.removeAttribute("data-sig-field");
    });
    doc.querySelectorAll("[data-sig-sep]").forEach(function (el) {
      if (!allFilled(el.getAttribute("data-sig-sep"), v)) el.remove();
      else el.removeAttribute("data-sig-sep");
    });
    return doc.body;
  }

  function buildText(v) {
    var lines = fillTokens(textTemplate, v, false).split("\n");
    return lines.map(function (line) {
      return line.replace(/^ · | · $/g, "").replace(/^(Telefon|E-Mail) $/, "");
    }).filter(function (line, i, all) {
      return line.trim() !== "" || (i > 0 && all[i - 1].trim() !== "");
    }).join("\n").trim() + "\n";
  }

  /* The template marks elements with style keys (data-sig-style): in the page they are
     applied through CSSOM (the CSP forbids style attributes); the copied HTML gets real
     inline styles, which e-mail clients need. */
  function inlineStyles(html) {
    return html.replace(/ data-sig-style="([a-z_]+)"/g, function (_, key) {
      return ' style="' + escapeHtml(styles[key] || "") + '"';
    });
  }

  function showPreview(body) {
    var fragment = document.createDocumentFragment();
    Array.prototype.forEach.call(body.childNodes, function (node) {
      fragment.appendChild(document.importNode(node, true));
    });
    fragment.querySelectorAll("[data-sig-style]").forEach(function (el) {
      el.style.cssText = styles[el.getAttribute("data-sig-style")] || "";
      el.removeAttribute("data-sig-style");
    });
    preview.replaceChildren(fragment);
  }

  var current = { html: "", text: "" };

  function update() {
    var v = values();
    var body = buildHtml(v);
    current.html = inlineStyles(body.innerHTML.trim());
    current.text = buildText(v);
    htmlOut.value = current.html;
    textOut.value = current.text;
    showPreview(body);
  }

  function say(message) {
    statusEl.textContent = message;
  }

  /* Copy through a one-off "copy" event: clipboardData takes the HTML as it is (the async
     Clipboard API would re-parse it in this page, where the CSP reports its inline styles). */
  function copyVia(data) {
    var done = false;
    function onCopy(event) {
      Object.keys(data).forEach(function (type) { event.clipboardData.setData(type, data[type]); });
      event.preventDefault();
      done = true;
    }
    document.addEventListener("copy", onCopy);
    try {
      document.execCommand("copy");
    } finally {
      document.removeEventListener("copy", onCopy);
    }
    return done;
  }

  function copyRich() {
    if (copyVia({ "text/html": current.html, "text/plain": current.text })) return Promise.resolve();
    if (window.ClipboardItem && navigator.clipboard && navigator.clipboard.write) {
      return navigator.clipboard.write([new ClipboardItem({
        "text/html": new Blob([current.html], { type: "text/html" }),
        "text/plain": new Blob([current.text], { type: "text/plain" })
      })]);
    }
    return Promise.reject(new Error("copy failed"));
  }

  function copyText() {
    if (copyVia({ "text/plain": current.text })) return Promise.resolve();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(current.text);
    }
    return Promise.reject(new Error("copy failed"));
  }

  copyButton.addEventListener("click", function () {
    copyRich().then(function () {
      say("Kopiert! Jetzt in die Signatur-Einstellungen Ihres E-Mail-Programms einfügen.");
    }, function () {
      say("Kopieren nicht möglich – bitte die Vorschau markieren und mit Strg+C kopieren.");
    });
  });
  copyTextButton.addEventListener("click", function () {
    copyText().then(function () {
      say("Textfassung kopiert.");
    }, function () {
      say("Kopieren nicht möglich – bitte die Textfassung markieren und mit Strg+C kopieren.");
    });
  });

  form.addEventListener("input", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  copyButton.hidden = false;
  copyTextButton.hidden = false;
  update();
})();
