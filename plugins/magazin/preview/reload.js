// Live preview only (plugins/magazin/preview): the preview server adds this file to every
// page it serves; the published site never contains it. The server announces each new state
// of the site as a server-sent event naming the files whose bytes changed ("*": all of them);
// the page reloads itself only when its own file is among them. "?stand=N" on this script's
// address is the state the page was served from, so an event that came before the page
// listened is not lost. A file of our own origin, no inline script: the site's
// Content-Security-Policy (script-src 'self', connect-src 'self') stays exactly as published.
(() => {
  const served = new URL(document.currentScript.src).searchParams.get("stand") || "";
  const events = new EventSource(`/__vorschau/ereignisse?stand=${encodeURIComponent(served)}`);
  let file = decodeURIComponent(window.location.pathname).replace(/^\/+/, "");
  if (file === "" || file.endsWith("/")) file += "index.html";
  else if (!/\.[^/]*$/.test(file)) file += "/index.html"; // "/technik/x" is served like "/technik/x/"
  events.addEventListener("build", (event) => {
    const news = JSON.parse(event.data);
    if (news.seiten === "*" || news.seiten.includes(file)) {
      events.close();
      window.location.reload();
      return;
    }
    document.documentElement.dataset.vorschau = String(news.stand); // connected (the tests wait for it)
  });
  // The last build failed: say why on the page (the served site is the last good one).
  events.addEventListener("fehler", (event) => {
    const problems = JSON.parse(event.data).probleme;
    document.getElementById("vorschau-fehler")?.remove();
    if (!problems.length) return;
    if (!document.getElementById("vorschau-stil")) {
      const style = document.createElement("link");
      style.id = "vorschau-stil";
      style.rel = "stylesheet";
      style.href = "/__vorschau/vorschau.css";
      document.head.append(style);
    }
    const box = document.createElement("aside");
    box.id = "vorschau-fehler";
    box.className = "vorschau-fehler";
    box.setAttribute("role", "alert");
    const title = document.createElement("h2");
    title.textContent = "Der Build ist fehlgeschlagen";
    const list = document.createElement("ul");
    for (const problem of problems) {
      const item = document.createElement("li");
      item.textContent = problem;
      list.append(item);
    }
    const hint = document.createElement("p");
    hint.textContent = "Die Vorschau zeigt den letzten fehlerfreien Stand. Nach dem nächsten Speichern wird neu gebaut.";
    box.append(title, list, hint);
    document.body.append(box);
  });
})();
