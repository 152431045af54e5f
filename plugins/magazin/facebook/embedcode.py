"""Facebook's own embed code, as its „Einbetten“ dialog writes it, for the editorial embed-code
rule (``editorial.embedcodes``, registered in ``embed.register_embeds``)::

    <iframe src="https://www.facebook.com/plugins/post.php?href=…%2Fposts%2Fpfbid…&show_text=true&width=500"
      width="500" height="…" style="border:none;overflow:hidden" scrolling="no" frameborder="0"
      allowfullscreen="true"
      allow="autoplay; clipboard-write; encrypted-media; picture-in-picture; web-share"></iframe>

and the same with ``/plugins/video.php?height=314&href=…%2Fvideos%2F…``. The ``href`` it carries
is read with the rule for a pasted address (``urls.parse_facebook_url``).

Not recognised: the dialog's second form for the JavaScript SDK (``<div id="fb-root">``, then
``<script … src="https://connect.facebook.net/…/sdk.js…">``, then ``<div class="fb-post"
data-href="…">``): the shared embed-code finder only opens a code at an ``<iframe>`` or
``<blockquote>`` and only drops a loader script that comes *after* the code, so the checks
refuse that form's ``<script>`` (see the plugin's report in docs/funktionen.md).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from magazin.consent.registry import EmbedCodeRule, Tag

from .urls import HOST, InvalidFacebookUrl, parse_facebook_url

PLUGIN_PATHS = ("/plugins/post.php", "/plugins/video.php")


def identify(tags: list[Tag]) -> str | None:
    """The post or video address a Facebook plugin ``<iframe>`` stands for."""
    tag, attrs = tags[0]
    if tag != "iframe":
        return None
    src = attrs.get("src", "").replace("&amp;", "&")
    parts = urlsplit(src if "://" in src else "https:" + src)
    if not HOST.match((parts.hostname or "").lower()) or parts.path not in PLUGIN_PATHS:
        return None
    href = (parse_qs(parts.query).get("href") or [""])[0]
    try:
        return parse_facebook_url(href).url
    except InvalidFacebookUrl:
        return None


def script_ok(host: str, path: str, url: str) -> bool:
    """Facebook's SDK loader (``connect.facebook.net/<locale>/sdk.js``) right after a code."""
    return host == "connect.facebook.net" and path.endswith("/sdk.js")


RULE = EmbedCodeRule(platform="facebook", name="Facebook", identify=identify, script_ok=script_ok)
