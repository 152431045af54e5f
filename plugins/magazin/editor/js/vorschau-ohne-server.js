// The editor's preview pane where no preview server answers (production: no Python runs behind
// the editor). The text is rendered in the browser with `marked` (pinned in editor/, served from
// our origin) into the article's markup, for the magazine's stylesheet; an address alone on its
// line becomes a consent placeholder like the magazine's (YouTube) or a note where the post card
// will be (X, Mastodon) – nothing is loaded from those services. Raw HTML in the text is shown
// as text, links and pictures keep only safe addresses. What it cannot show: the picture
// derivatives, video posters and post cards (made by the build) and the checks' messages (CI's
// check of the article's branch shows them in the pull request).
// UMD-style: the browser gets window.VorschauOhneServer, Node (tests) module.exports.
(function (root, factory) {
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.VorschauOhneServer = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const escape = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
  const YOUTUBE = /^https?:\/\/(www\.|m\.)?(youtube\.com\/(watch|shorts|embed|playlist|live)|youtube-nocookie\.com\/embed|youtu\.be\/)/i;
  const X_POST = /^https?:\/\/(www\.)?(x|twitter)\.com\/[^/]+\/status\/\d+/i;
  const MASTODON_POST = /^https?:\/\/[^/]+\/@[^/]+\/\d+\/?$/i;

  function safeUrl(url, base) {
    const value = String(url || "").trim();
    if (value.startsWith("{static}/") || value.startsWith("{attach}/")) return base + value.slice(value.indexOf("}") + 1);
    if (/^(https?:|mailto:|#|\/|\.\.?\/)/i.test(value) || /^[\w-]+(\/|\.|$)/.test(value)) return value;
    return "#"; // javascript:, data: …
  }

  function placeholder(url, providers) {
    const kind = YOUTUBE.test(url) ? "youtube" : X_POST.test(url) ? "x" : MASTODON_POST.test(url) ? "mastodon" : null;
    if (!kind) return null;
    const provider = providers[kind] || { name: kind === "mastodon" ? "Mastodon" : kind, text: "" };
    if (kind === "youtube") {
      return (
        `<figure class="consent consent--youtube" data-redaktion-platzhalter="youtube">` +
        `<div class="consent__stage" data-consent-stage><span class="consent__poster">` +
        `<span class="consent__heading">Video auf ${escape(provider.name)}</span></span></div>` +
        `<div class="consent__notice"><p class="consent__text"><strong class="consent__provider">` +
        `${escape(provider.name)}.</strong> ${escape(provider.text)}</p>` +
        `<p class="consent__text">Vorschau: Auf der Website steht hier das Vorschaubild des Videos; ` +
        `geladen wird es erst nach einem Klick.</p></div></figure>`
      );
    }
    return (
      `<figure class="consent consent--content" data-redaktion-platzhalter="${kind}">` +
      `<div class="consent__notice"><p class="consent__text"><strong class="consent__provider">` +
      `Beitrag auf ${escape(provider.name)}.</strong> Auf der Website steht hier die Karte des ` +
      `gespeicherten Beitrags (${escape(url)}); von ${escape(provider.name)} wird nichts geladen.</p>` +
      `</div></figure>`
    );
  }

  // The article's markup (as in theme/templates/article.html) for a draft, with `marked`.
  function render(marked, draft, options) {
    const base = options.base || "";
    const providers = options.providers || {};
    const pending = options.pending || {};
    const embeds = [];
    const body = String(draft.body || "")
      .split("\n")
      .map((line) => {
        const html = placeholder(line.trim(), providers);
        if (!html || !/^\s*https?:\/\/\S+\s*$/.test(line)) return line;
        embeds.push(html);
        return `\n@@redaktion-einbettung-${embeds.length - 1}@@\n`;
      })
      .join("\n");
    const parser = new marked.Marked({ gfm: true, breaks: false });
    parser.use({
      renderer: {
        html(token) {
          return escape(token.text);
        },
        link(token) {
          const text = this.parser.parseInline(token.tokens);
          return `<a href="${escape(safeUrl(token.href, base))}">${text}</a>`;
        },
        image(token) {
          const src = pending[token.href] || safeUrl(token.href, base);
          return `<img src="${escape(src)}" alt="${escape(token.text)}">`;
        },
      },
    });
    let html = parser.parse(body);
    html = html.replace(/<p>@@redaktion-einbettung-(\d+)@@<\/p>/g, (_, n) => embeds[Number(n)]);
    return (
      `<article class="article" aria-labelledby="article-title"><header class="article__header wrap wrap--narrow">` +
      `<p class="article__kicker">${escape(draft.department)}</p>` +
      `<h1 id="article-title" class="article__title">${escape(draft.title)}</h1>` +
      `<p class="article__lead">${escape(draft.summary)}</p>` +
      `<div class="article__meta"><p class="byline">Von ${escape(draft.author)}</p></div></header>` +
      `<div class="article__body prose wrap wrap--narrow">${html}</div></article>`
    );
  }

  return { render, escape, safeUrl };
});
