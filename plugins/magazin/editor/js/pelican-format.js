// Pelican's own metadata format for Decap CMS (plugins/magazin/editor): "Key: value" lines,
// a blank line, the Markdown text. Loading and saving an unchanged file gives the same bytes:
// every header line is kept as it was written (spelling of the key, spacing, unknown keys,
// continuation lines) unless its field changed; the text is kept as one string.
// A UMD-style file: the browser gets window.PelicanFormat, Node (tests) gets module.exports.
(function (root, factory) {
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.PelicanFormat = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  // Field name in Decap → key in the file, in the order `invoke new` writes them.
  const KEYS = [
    ["title", "Title"],
    ["date", "Date"],
    ["author", "Author"],
    ["tags", "Tags"],
    ["summary", "Summary"],
    ["status", "Status"],
    ["freigabe_abteilung", "Freigabe-Abteilung"],
    ["freigabe_datenschutz", "Freigabe-Datenschutz"],
    ["kommentare", "Kommentare"],
    ["image", "Image"],
  ];
  const NEW_ARTICLE = KEYS.slice(0, 8).map(([name]) => name); // always written, as `invoke new` does
  const KEEP_EMPTY = new Set(["freigabe_abteilung", "freigabe_datenschutz"]);
  const NAME_OF = new Map(KEYS.map(([name, key]) => [key.toLowerCase(), name]));
  const KEY_OF = new Map(KEYS);
  // The patterns of Python-Markdown's meta extension (editorial/source.py uses the same).
  const META = /^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$/;
  const MORE = /^[ ]{4,}(.*)$/;
  const HEADER = "_kopf"; // the original header lines, kept in the entry's data

  function fromFile(text) {
    const lines = text.split("\n");
    const kopf = [];
    let index = 0;
    for (; index < lines.length; index++) {
      const line = lines[index];
      if (line.trim() === "") break;
      const meta = META.exec(line);
      if (meta) {
        const name = NAME_OF.get(meta[1].toLowerCase());
        const seen = name && kopf.some((entry) => entry.name === name);
        kopf.push({ key: meta[1], raw: line, name: seen ? null : name || null, value: meta[2] });
        continue;
      }
      const more = MORE.exec(line);
      if (more && kopf.length) {
        const last = kopf[kopf.length - 1];
        last.raw += "\n" + line;
        last.value = `${last.value} ${more[1].trim()}`.trim();
        continue;
      }
      break; // not a header line: the text starts here (as in Python-Markdown)
    }
    const headerText = lines.slice(0, index).join("\n");
    const blank = index < lines.length && lines[index].trim() === "";
    const body = blank ? lines.slice(index + 1).join("\n") : lines.slice(index).join("\n");
    const data = { body, [HEADER]: { lines: kopf, sep: text.slice(headerText.length, text.length - body.length) } };
    for (const entry of kopf) if (entry.name) data[entry.name] = entry.value;
    return data;
  }

  function clean(value) {
    if (value === undefined || value === null) return "";
    return String(value).replace(/\s*\r?\n\s*/g, " ").trim();
  }

  function line(name, value) {
    return value === "" ? `${KEY_OF.get(name)}:` : `${KEY_OF.get(name)}: ${value}`;
  }

  function toFile(data) {
    const get = (name) => (data && typeof data.get === "function" ? data.get(name) : data[name]);
    let header = get(HEADER);
    if (header && typeof header.toJS === "function") header = header.toJS();
    let body = get("body");
    body = body === undefined || body === null ? "" : String(body);
    const out = [];
    const written = new Set();
    if (header && Array.isArray(header.lines)) {
      for (const entry of header.lines) {
        if (!entry.name) {
          out.push(entry.raw);
          continue;
        }
        written.add(entry.name);
        const value = clean(get(entry.name));
        if (value === clean(entry.value)) out.push(entry.raw);
        else if (value !== "" || KEEP_EMPTY.has(entry.name)) out.push(line(entry.name, value));
      }
      for (const [name] of KEYS) {
        const value = clean(get(name));
        if (!written.has(name) && value !== "") out.push(line(name, value));
      }
      return out.join("\n") + header.sep + body;
    }
    for (const [name] of KEYS) {
      const value = clean(get(name));
      if (NEW_ARTICLE.includes(name) || value !== "") out.push(line(name, value));
    }
    if (!body.endsWith("\n")) body += "\n";
    return out.join("\n") + "\n\n" + body;
  }

  return { fromFile, toFile, HEADER, KEYS };
});
