// Live preview only (plugins/magazin/preview): the preview server adds this file to every
// page it serves; the published site never contains it. The server announces each finished
// rebuild as a server-sent event and the page reloads itself. A file of our own origin, no
// inline script: the site's Content-Security-Policy (script-src 'self', connect-src 'self')
// stays exactly as published.
(() => {
  const events = new EventSource("/__vorschau/ereignisse");
  let seen = null;
  events.addEventListener("build", (event) => {
    if (seen !== null && event.data !== seen) window.location.reload();
    seen = event.data;
    document.documentElement.dataset.vorschau = seen; // connected (the tests wait for it)
  });
})();
