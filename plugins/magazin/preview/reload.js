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
})();
