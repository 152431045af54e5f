// The authors' editor (plugins/magazin/editor, docs/redaktion.md): registers with Decap CMS
// our file format (pelican-format.js), the text widget „pelicanbody“ (a plain text area that
// never reformats a line, with „Bild einfügen“ and „Video einfügen“), the rules for new
// articles (address from the title with ä→ae …, date in Europe/Berlin, state „Entwurf“) and
// the preview pane (the magazine's rendering and `invoke check`'s messages from the live
// preview's endpoint), then starts Decap. Loaded after decap-cms.js (defer) from our origin.
(async () => {
  "use strict";
  const CMS = window.CMS;
  const h = window.h;
  const base = new URL(".", document.currentScript ? document.currentScript.src : window.location.href);
  const rules = await fetch(new URL("regeln.json", base)).then((r) => r.json());
  const slugRules = rules.slug.map(([pattern, replacement]) => [new RegExp(pattern, "giu"), replacement]);
  const taken = new Set(rules.vergeben);

  // Our scripts beside this one, loaded on demand (one file for the browser and the Node tests).
  const loaded = {};
  function load(name) {
    loaded[name] ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL(name, base).href;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
    return loaded[name];
  }
  await load("pelican-format.js");
  const Format = window.PelicanFormat;

  // The pane without a preview server (production): marked + our article markup.
  async function renderInBrowser(data, collection, pending) {
    await load("marked.js");
    await load("vorschau-ohne-server.js");
    const shown = {};
    for (const file of pending) shown[`{static}/${file.path.split("/").slice(-3).join("/")}`] = file.url;
    return window.VorschauOhneServer.render(
      window.marked,
      {
        title: data.get("title"),
        summary: data.get("summary"),
        author: data.get("author"),
        department: collection.get("label"),
        body: data.get("body"),
      },
      { base: rules.basis, providers: rules.anbieter, pending: shown },
    );
  }

  function slugify(text) {
    let value = String(text || "").normalize("NFKC").replace(/<[^>]*>/g, "");
    for (const [pattern, replacement] of slugRules) value = value.replace(pattern, replacement);
    return value.toLowerCase().trim();
  }

  function berlinNow() {
    const parts = new Intl.DateTimeFormat("sv-SE", {
      timeZone: rules.zeitzone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(new Date());
    const p = Object.fromEntries(parts.map((part) => [part.type, part.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  }

  CMS.registerCustomFormat("pelican", "md", { fromFile: Format.fromFile, toFile: Format.toFile });

  // A new article: its address from the title (our slug rule), a free address, the date
  // now in German time and the state „Entwurf“, as `invoke new` writes them.
  CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => {
      let data = entry.get("data");
      // a file that is not UTF-8 arrives with U+FFFD in place of its letters: saving would
      // destroy them for good
      if (JSON.stringify(data.toJS()).includes("\uFFFD")) {
        throw new Error(
          `${entry.get("path") || "Die Datei"} ist nicht als UTF-8 gespeichert (unlesbare Zeichen „\uFFFD“). ` +
            "Es wurde nichts gespeichert. Bitte die IT, die Datei als UTF-8 zu speichern.",
        );
      }
      if (!entry.get("newRecord")) return data;
      const slug = slugify(data.get("title"));
      if (!slug) throw new Error("Aus dem Titel lässt sich keine Adresse bilden: Bitte Buchstaben verwenden.");
      if (taken.has(slug)) {
        throw new Error(
          `Die Adresse „${slug}“ hat schon ein anderer Artikel. Wähle einen anderen Titel – es wurde nichts gespeichert.`,
        );
      }
      data = data.set("dateiname", slug);
      if (!String(data.get("date") || "").trim()) data = data.set("date", berlinNow());
      if (!String(data.get("status") || "").trim()) data = data.set("status", "Entwurf");
      return data;
    },
  });

  const keep = (event) => event.preventDefault();

  // The text: a plain text area (Decap's Markdown widget rewrites untouched lines, its issue #5673).
  const BodyControl = window.createClass({
    // Decap re-renders a widget only when its value or style changed, unless it says otherwise:
    // a picture chosen in the media library arrives as a new `mediaPaths`.
    shouldComponentUpdate(next) {
      const now = this.props;
      return (
        next.value !== now.value ||
        next.mediaPaths !== now.mediaPaths ||
        next.classNameWrapper !== now.classNameWrapper ||
        next.hasActiveStyle !== now.hasActiveStyle
      );
    },
    componentDidUpdate() {
      const { mediaPaths, forID, onRemoveInsertedMedia } = this.props;
      const picked = mediaPaths && mediaPaths.get(forID);
      if (!picked || picked === this.lastPicked) return;
      this.lastPicked = picked;
      onRemoveInsertedMedia(forID);
      const path = typeof picked === "string" ? picked : picked.path || String(picked);
      const alt = (window.prompt("Was ist auf dem Bild zu sehen? (Alternativtext, Pflicht)") || "").trim();
      if (!alt) {
        window.alert("Ohne Alternativtext wird das Bild nicht eingefügt. Wähle es erneut und beschreibe es.");
        return;
      }
      this.insert(`![${alt.replace(/[[\]]/g, "")}](${path})`);
    },
    insert(block) {
      const area = this.area;
      const text = this.props.value || "";
      const at = area ? area.selectionStart : text.length;
      const before = text.slice(0, at);
      const after = text.slice(at);
      const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
      const tail = after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
      const inserted = before + lead + block + tail + after;
      this.props.onChange(inserted);
      // back to the text, after the inserted block (the closing media library or the prompt
      // would otherwise leave the focus on the button, and the next space would press it)
      const caret = before.length + lead.length + block.length + tail.length;
      setTimeout(() => {
        const area = this.area;
        if (!area) return;
        if (area.value === inserted) {
          area.focus(); // … unless the author went on typing meanwhile
          area.setSelectionRange(caret, caret);
        }
        area.dataset.eingefuegt = String(Number(area.dataset.eingefuegt || 0) + 1);
      }, 350);
    },
    pickImage() {
      this.props.onOpenMediaLibrary({
        controlID: this.props.forID,
        forImage: true,
        privateUpload: false,
        value: "",
        allowMultiple: false,
        config: this.props.field.getIn(["media_library", "config"]),
        field: this.props.field,
      });
    },
    addVideo() {
      const url = (window.prompt("Adresse des YouTube-Videos oder Posts (z. B. https://www.youtube.com/watch?v=…):") || "").trim();
      if (url) this.insert(url);
    },
    render() {
      const { forID, classNameWrapper, value, onChange, setActiveStyle, setInactiveStyle } = this.props;
      return h(
        "div",
        { className: "redaktion-text" },
        h(
          "div",
          { className: "redaktion-text__werkzeuge", role: "toolbar", "aria-label": "Einfügen" },
          // a mouse click keeps the focus in the text (where the insertion goes)
          h("button", { type: "button", onMouseDown: keep, onClick: () => this.pickImage() }, "Bild einfügen"),
          h("button", { type: "button", onMouseDown: keep, onClick: () => this.addVideo() }, "Video oder Post einfügen"),
        ),
        h("textarea", {
          id: forID,
          ref: (el) => {
            this.area = el;
          },
          className: classNameWrapper,
          value: value || "",
          rows: 24,
          spellCheck: true,
          lang: "de",
          onChange: (event) => onChange(event.target.value),
          onFocus: setActiveStyle,
          onBlur: setInactiveStyle,
        }),
      );
    },
  });
  CMS.registerWidget("pelicanbody", BodyControl);

  // Sign-offs: the field shows where the article stands; a „Freigeben“ button appears only for
  // the person entitled to it (authors.yml: freigabe / datenschutz). Who that is: locally the git
  // identity decap-server commits with (the live preview says), in production the logged-in
  // account's name. The check before publishing verifies the commit itself (editorial/signoffs.py).
  let localPerson = null;
  if (rules.vorschau) {
    try {
      const answer = await fetch(new URL(rules.vorschau + "person", window.location.href), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      if (answer.ok) localPerson = (await answer.json()).name || null;
    } catch (error) {
      localPerson = null;
    }
  }
  function currentPerson() {
    if (localPerson) return localPerson;
    try {
      const user = JSON.parse(window.localStorage.getItem("decap-cms-user") || "null");
      return (user && user.name) || null;
    } catch (error) {
      return null;
    }
  }
  function mayClear(kind, person, department, author) {
    if (!person) return false;
    if (kind === "datenschutz") return rules.freigabe.datenschutz.includes(person);
    return (rules.freigabe.abteilung[person] || []).includes(department) && person !== author;
  }
  const SignOffControl = window.createClass({
    render() {
      const { value, field, entry, forID, onChange } = this.props;
      const kind = field.get("freigabe");
      const person = currentPerson();
      const allowed = mayClear(kind, person, entry.get("collection"), entry.getIn(["data", "author"]));
      const text = value ? `Freigegeben: ${value}` : "Noch nicht freigegeben.";
      const parts = [h("p", { key: "stand", id: forID, className: "redaktion-freigabe__stand" }, text)];
      if (allowed && !String(value || "").startsWith(`${person},`)) {
        parts.push(
          h(
            "button",
            {
              key: "freigeben",
              type: "button",
              className: "redaktion-freigabe__knopf",
              onClick: () => onChange(`${person}, ${berlinNow().slice(0, 10)}`),
            },
            `Freigeben als ${person}`,
          ),
        );
      }
      return h("div", { className: "redaktion-freigabe" }, ...parts);
    },
  });
  CMS.registerWidget("freigabe", SignOffControl);

  // The preview pane: the article as the magazine renders it, with `invoke check`'s messages.
  const Preview = window.createClass({
    getInitialState() {
      return { html: "", probleme: [], fehler: "" };
    },
    componentDidMount() {
      this.request();
    },
    componentDidUpdate(previous) {
      if (previous.entry !== this.props.entry) this.request();
    },
    componentWillUnmount() {
      clearTimeout(this.timer);
    },
    request() {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.load(), 300);
    },
    async load() {
      const { entry, collection } = this.props;
      let data = entry.get("data");
      if (entry.get("newRecord")) {
        // what the save will write (see preSave): the date now in German time, „Entwurf“
        if (!String(data.get("date") || "").trim()) data = data.set("date", berlinNow());
        if (!String(data.get("status") || "").trim()) data = data.set("status", "Entwurf");
      }
      const text = Format.toFile(data);
      let path = entry.get("path");
      if (!path) path = `${collection.get("folder")}/${slugify(data.get("title")) || "neuer-artikel"}.md`;
      // pictures uploaded for this draft, not yet saved: the check must not miss them, the
      // pane shows them from the browser's memory
      const pending = [];
      for (const file of entry.get("mediaFiles") || []) {
        if (!file.get("draft")) continue;
        const asset = this.props.getAsset ? this.props.getAsset(file.get("path")) : null;
        pending.push({ path: file.get("path"), url: file.get("url") || (asset ? String(asset) : "") });
      }
      const asked = (this.asked = (this.asked || 0) + 1);
      const inBrowser = async () => {
        const html = await renderInBrowser(data, collection, pending);
        if (asked === this.asked) this.setState({ html, probleme: [], fehler: "ohne-server" });
      };
      if (!rules.vorschau) return inBrowser();
      try {
        const answer = await fetch(new URL(rules.vorschau + "artikel", window.location.href), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ pfad: path, text, bilder: pending.map((file) => file.path) }),
        });
        if (!answer.ok) throw new Error(String(answer.status));
        const result = await answer.json();
        let html = result.html || "";
        for (const file of pending) {
          const shown = `{static}/${file.path.split("/").slice(-3).join("/")}`; // {static}/images/<abteilung>/<datei>
          if (file.url) html = html.split(`src="${shown}"`).join(`src="${file.url}"`);
        }
        if (asked === this.asked) this.setState({ html, probleme: result.probleme || [], fehler: "" });
      } catch (error) {
        await inBrowser(); // no preview server answers: the pane renders it itself
      }
    },
    render() {
      const parts = [];
      if (this.state.probleme.length) {
        parts.push(
          h(
            "aside",
            { className: "redaktion-pruefung", role: "status", "data-redaktion-pruefung": "" },
            h("h2", null, "Das meldet die Prüfung (invoke check)"),
            h("ul", null, ...this.state.probleme.map((text) => h("li", { key: text }, text))),
          ),
        );
      }
      if (this.state.fehler) {
        parts.push(
          h(
            "aside",
            { className: "redaktion-pruefung redaktion-pruefung--hinweis", role: "status", "data-redaktion-hinweis": "" },
            h(
              "p",
              null,
              "Vorschau im Browser: Text und Gestaltung wie im Magazin, Videos und Posts als Platzhalter. " +
                "Vorschaubilder, Post-Karten und die Prüfung (invoke check) zeigt der Pull-Request dieses " +
                "Artikels, sobald die CI ihn geprüft hat.",
            ),
          ),
        );
      }
      parts.push(h("div", { className: "redaktion-vorschau", dangerouslySetInnerHTML: { __html: this.state.html } }));
      return h("div", { className: "redaktion-vorschau-rahmen" }, ...parts);
    },
  });
  CMS.registerPreviewStyle(rules.stil);
  CMS.registerPreviewStyle(new URL("redaktion.css", base).href);
  for (const name of rules.abteilungen) CMS.registerPreviewTemplate(name, Preview);
  CMS.init();
})();
