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

// Pagefind excerpts are HTML with <mark> around matches. Keep only text and <mark>.
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const out = document.createDocumentFragment();
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      out.append(document.createTextNode(node.textContent));
    } else if (node.nodeName === "MARK") {
      out.append(el("mark", "", node.textContent));
    } else {
      out.append(document.createTextNode(node.textContent || ""));
    }
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
    const query = new URLSearchParams(window.location.search).get("q") || "";
    this.input.value = query;
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
    this.updateCounts(query ? search.filters : search.totalFilters);
    this.results = search.results;
    this.shown = 0;
    this.list.replaceChildren();
    const n = search.results.length;
    if (n === 0) {
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
    const link = el("a", "", meta.title || item.url);
    link.href = item.url;
    h2.append(link);
    li.append(h2);
    const excerpt = el("p", "search-result__excerpt");
    excerpt.append(excerptNodes(item.excerpt));
    li.append(excerpt);
    const sections = (item.sub_results || []).filter((s) => s.anchor && s.anchor.element !== "h1").slice(0, 3);
    if (sections.length) {
      const ul = el("ul", "search-result__sections");
      ul.setAttribute("aria-label", "Passende Abschnitte");
      for (const section of sections) {
        const sli = el("li");
        const a = el("a", "", section.title);
        a.href = section.url;
        const p = el("p", "search-result__section-excerpt");
        p.append(excerptNodes(section.excerpt));
        sli.append(a, p);
        ul.append(sli);
      }
      li.append(ul);
    }
    return li;
  }
}

if (root) new SearchPage(root).start();
