// The magazine's search page (/suche/): a small UI on top of Pagefind's JS API.
// Everything runs in the browser on files of this site; no query leaves it.
// No inline styles or HTML from the index: excerpts are parsed inert and rebuilt from
// text nodes and <mark> elements only.

const PAGE_SIZE = 10;
const TYPE_ORDER = ["Artikel", "Video", "Seite"];

const root = document.getElementById("suche");

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// German compounds are indexed as tokens, "Abnahmeprüfzeugnis_prüfzeugnis_zeugnis": the
// word followed by its lower-case tails (plugins/magazin/search/compounds.py). Readers see
// the word. Anything else with an underscore ("file_name") is left alone.
const TOKEN = /[\p{L}]+(?:_[\p{L}]+)+/gu;

function restoreWord(token) {
  const [word, ...parts] = token.split("_");
  const low = word.toLowerCase();
  return parts.every((p) => p.length > 0 && p.length < low.length && low.endsWith(p)) ? word : token;
}

function restore(text) {
  return (text || "").replace(TOKEN, restoreWord);
}

// Words compared the way a reader types them: lower case, no accents, ß = ss.
function fold(text) {
  return text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/ß/g, "ss");
}

function parts(word) {
  return fold(word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")).split("_");
}

function commonPrefix(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

// Pagefind answers a word it does not know with matches of ever shorter prefixes
// ("xyzzq" finds "X"). A hit is real when a matched word shares (almost) the whole query
// term: the term itself, a longer word, or a stem ("Flansche" -> "Flansch").
function isRealMatch(data, query) {
  const terms = query.split(/\s+/).map((t) => parts(t).join("")).filter(Boolean);
  const words = (data.content || "").split(/\s+/);
  const matched = (data.locations || []).flatMap((i) => parts(words[i] || ""));
  return terms.every((term) => {
    const need = Math.min(term.length, Math.max(3, term.length - 2));
    return matched.some((word) => commonPrefix(word, term) >= need);
  });
}

// Pagefind excerpts are HTML with <mark> around matches. Keep only text and <mark>; an
// excerpt that starts or ends inside a sentence gets „…“ there.
function excerptNodes(html, content) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const out = document.createDocumentFragment();
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      out.append(el("mark", "", restore(node.textContent)));
    } else {
      out.append(document.createTextNode(restore(node.textContent || "")));
    }
  }
  const plain = doc.body.textContent.trim();
  if (content !== undefined && plain) {
    const text = content.trim();
    const at = text.indexOf(plain);
    const before = at > 0 ? text.slice(0, at).trimEnd() : "";
    if (at !== 0 && !/[.!?:…]$/.test(before)) out.prepend("… ");
    const atEnd = at >= 0 && at + plain.length >= text.length;
    if (!atEnd && !/[.!?…]$/.test(plain)) out.append(" …");
  }
  return out;
}

function plural(n, one, many) {
  return `${n.toLocaleString("de-DE")} ${n === 1 ? one : many}`;
}

class SearchPage {
  constructor(container) {
    this.root = container;
    this.input = container.querySelector("#search-q");
    this.form = container.querySelector(".search__form");
    this.status = container.querySelector("#search-status");
    this.list = container.querySelector("[data-search-results]");
    this.more = container.querySelector("[data-search-more]");
    this.filtersBox = container.querySelector("[data-search-filters]");
    this.results = [];
    this.shown = 0;
    this.generation = 0;
    this.pagefind = null;
  }

  async start() {
    try {
      this.pagefind = await import(`${this.root.dataset.searchBundle}pagefind.js`);
      await this.pagefind.options({ baseUrl: this.root.dataset.searchBase, excerptLength: 24 });
      await this.pagefind.init();
      this.buildFilters(await this.pagefind.filters());
    } catch (error) {
      this.fail(error);
      return;
    }
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run(false);
    });
    this.input.addEventListener("input", () => this.run(true));
    this.filtersBox.addEventListener("change", () => this.run(false));
    this.more.querySelector("button").addEventListener("click", () => this.showMore());
    // What the reader typed while the search was loading wins over the address (?q=):
    // never overwrite it.
    const fromUrl = new URLSearchParams(window.location.search).get("q") || "";
    if (!this.input.value.trim() && fromUrl) this.input.value = fromUrl;
    const query = this.input.value.trim();
    this.root.classList.add("search--ready");
    if (query) this.run(false);
    else this.setStatus("Geben Sie einen Suchbegriff ein – die Treffer erscheinen beim Tippen.");
  }

  fail(error) {
    console.error("Suche:", error);
    this.status.replaceChildren(
      "Die Suche konnte nicht geladen werden. Alle Artikel finden Sie im ",
      Object.assign(el("a", "", "Archiv"), { href: this.root.dataset.searchArchive }),
      ".",
    );
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  buildFilters(counts) {
    let any = false;
    for (const fieldset of this.filtersBox.querySelectorAll("[data-filter]")) {
      const name = fieldset.dataset.filter;
      const values = Object.keys(counts[name] || {});
      const order = name === "Typ" ? (v) => TYPE_ORDER.indexOf(v) : null;
      values.sort(order ? (a, b) => order(a) - order(b) : (a, b) => a.localeCompare(b, "de"));
      const box = fieldset.querySelector(".search__options");
      box.replaceChildren();
      for (const value of values) {
        const label = el("label", "search__option");
        const input = el("input");
        input.type = "checkbox";
        input.name = name;
        input.value = value;
        const count = el("span", "search__count", `(${counts[name][value]})`);
        label.append(input, ` ${value} `, count);
        box.append(label);
      }
      fieldset.hidden = values.length < 2 && name === "Typ";
      any = any || values.length > 0;
    }
    this.filtersBox.hidden = !any;
  }

  updateCounts(counts) {
    for (const input of this.filtersBox.querySelectorAll("input[type=checkbox]")) {
      const n = (counts[input.name] || {})[input.value] || 0;
      input.parentElement.querySelector(".search__count").textContent = `(${n})`;
    }
  }

  selectedFilters() {
    const filters = {};
    for (const input of this.filtersBox.querySelectorAll("input[type=checkbox]:checked")) {
      (filters[input.name] ||= { any: [] }).any.push(input.value);
    }
    return filters;
  }

  async run(debounced) {
    const query = this.input.value.trim();
    const filters = this.selectedFilters();
    const hasFilters = Object.keys(filters).length > 0;
    const url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    const generation = ++this.generation;
    if (!query && !hasFilters) {
      this.list.replaceChildren();
      this.more.hidden = true;
      this.updateCounts(await this.pagefind.filters());
      this.setStatus("Geben Sie einen Suchbegriff ein – die Treffer erscheinen beim Tippen.");
      return;
    }
    const options = { filters };
    const search = debounced
      ? await this.pagefind.debouncedSearch(query || null, options, 200)
      : await this.pagefind.search(query || null, options);
    if (search === null || generation !== this.generation) return; // a newer query is running
    let results = search.results;
    if (query && results.length && !isRealMatch(await results[0].data(), query)) results = [];
    if (generation !== this.generation) return;
    this.updateCounts(query ? (results.length ? search.filters : {}) : search.totalFilters);
    this.results = results;
    this.shown = 0;
    this.list.replaceChildren();
    const n = results.length;
    if (n === 0) {
      if (query && !hasFilters) this.reportMissing(query, generation);
      this.setStatus(
        query
          ? `Keine Treffer für „${query}“. Versuchen Sie ein anderes oder kürzeres Wort${hasFilters ? " oder entfernen Sie Filter" : ""}.`
          : "Keine Treffer mit diesen Filtern.",
      );
      this.more.hidden = true;
      return;
    }
    await this.showMore();
    if (generation !== this.generation) return;
    this.setStatus(query ? `${plural(n, "Treffer", "Treffer")} für „${query}“` : plural(n, "Treffer", "Treffer"));
  }

  // A search that found nothing, once the reader stopped typing (no new search for 1.5 s),
  // once per term and page: a plain GET to our own server (data-search-report, set only when
  // the statistics plugin is listed) with the term and nothing else – no cookie, no referrer.
  reportMissing(query, generation) {
    const target = this.root.dataset.searchReport;
    if (!target || !window.fetch) return;
    this.reported ||= new Set();
    const term = query.toLowerCase().replace(/\s+/g, " ").slice(0, 80);
    window.setTimeout(() => {
      if (generation !== this.generation || this.reported.has(term)) return;
      this.reported.add(term);
      const url = `${target}?${new URLSearchParams({ q: term })}`;
      fetch(url, { credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer", keepalive: true }).catch(
        () => {},
      );
    }, 1500);
  }

  async showMore() {
    const generation = this.generation;
    const slice = this.results.slice(this.shown, this.shown + PAGE_SIZE);
    const data = await Promise.all(slice.map((r) => r.data()));
    if (generation !== this.generation) return;
    for (const item of data) this.list.append(this.render(item));
    this.shown += slice.length;
    this.more.hidden = this.shown >= this.results.length;
  }

  render(item) {
    const li = el("li", "search-result");
    const meta = item.meta || {};
    const kicker = [meta.abteilung, meta.datum].filter(Boolean).join(" · ");
    const types = (item.filters && item.filters.Typ) || [];
    if (kicker || types.includes("Video")) {
      const p = el("p", "search-result__kicker", kicker);
      if (types.includes("Video")) p.append(el("span", "search-result__badge", "Video"));
      li.append(p);
    }
    const h2 = el("h2", "search-result__title");
    const link = el("a", "", restore(meta.title) || item.url);
    link.href = item.url;
    h2.append(link);
    li.append(h2);
    const excerpt = el("p", "search-result__excerpt");
    excerpt.append(excerptNodes(item.excerpt, item.content));
    li.append(excerpt);
    const sections = (item.sub_results || []).filter((s) => s.anchor && s.anchor.element !== "h1").slice(0, 3);
    if (sections.length) {
      const ul = el("ul", "search-result__sections");
      ul.setAttribute("aria-label", "Passende Abschnitte");
      for (const section of sections) {
        const sli = el("li");
        const a = el("a", "", restore(section.title));
        a.href = section.url;
        const p = el("p", "search-result__section-excerpt");
        p.append(excerptNodes(section.excerpt, item.content));
        sli.append(a, p);
        ul.append(sli);
      }
      li.append(ul);
    }
    return li;
  }
}

if (root) new SearchPage(root).start();
