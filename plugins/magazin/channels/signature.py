"""The e-mail signature for employees: HTML with inline styles (Outlook, Thunderbird) and
plain text, both from the channel list.

The page fills the fields (name, role, department, phone, e-mail) in the browser; here we
render both versions with placeholder tokens that ``signatur.js`` replaces with the
escaped values. Inline styles live only in the copied snippet, never in the page itself
(the page's CSP forbids ``style`` attributes; the preview applies them through CSSOM).
"""

from __future__ import annotations

import re

from markupsafe import Markup

# Token → field name in the page form. Tokens are plain text, safe in HTML and text alike.
FIELDS = ("name", "role", "department", "phone", "email")
TOKENS = {field: f"[[{field.upper()}]]" for field in FIELDS}
TOKENS["phone_href"] = "[[PHONE_HREF]]"
TOKENS["email_href"] = "[[EMAIL_HREF]]"

# One place for the snippet's look: e-mail clients ignore stylesheets, so every element
# carries its style inline. Web-safe fonts only; no images (remote images are blocked
# by most clients and would leak who reads the mail).
STYLES = {
    "table": (
        "border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;"
        "font-size:13px;line-height:1.45;color:#25313c;"
    ),
    "bar": "border-left:3px solid #0b5394;padding:0 0 0 12px;",
    "name": "font-size:15px;font-weight:bold;color:#0b3d6b;margin:0;",
    "role": "color:#4f5d69;margin:0;",
    "company": "font-weight:bold;color:#25313c;margin:8px 0 0 0;",
    "meta": "color:#4f5d69;margin:0;",
    "link": "color:#0b5394;text-decoration:none;",
    "follow": (
        "margin:10px 0 0 0;padding:6px 0 0 0;border-top:1px solid #d5dde4;color:#4f5d69;font-size:12px;"
    ),
    "follow_label": "font-weight:bold;color:#0b3d6b;",
    "follow_link": "color:#0b5394;text-decoration:none;font-weight:bold;",
}


def style(name: str) -> Markup:
    """Marks an element of the snippet with its style key (``data-sig-style="name"``).

    The page keeps the snippet free of ``style`` attributes (its CSP would block them);
    ``inline_styles`` (Python) and ``signatur.js`` turn the keys into inline styles.
    """
    if name not in STYLES:
        raise KeyError(f"unknown signature style {name!r}")
    return Markup(' data-sig-style="{}"').format(name)


_STYLE_KEY = re.compile(r' data-sig-style="([a-z_]+)"')


def inline_styles(html: str) -> str:
    """Replace every style key by the inline ``style`` attribute e-mail clients need."""
    return _STYLE_KEY.sub(lambda m: str(Markup(' style="{}"').format(STYLES[m.group(1)])), html)


def fill(template: str, values: dict[str, str], *, html: bool) -> str:
    """Replace the tokens in a rendered signature (used for the no-JS example and in tests).

    Mirrors ``signatur.js``: values are HTML-escaped in the HTML version.
    """
    from markupsafe import escape

    out = template
    phone = values.get("phone", "")
    extra = {
        "phone_href": "tel:" + "".join(c for c in phone if c.isdigit() or c == "+"),
        "email_href": "mailto:" + values.get("email", ""),
    }
    for key, token in TOKENS.items():
        value = values.get(key, extra.get(key, ""))
        out = out.replace(token, str(escape(value)) if html else value)
    if html:
        out = inline_styles(re.sub(r' data-sig-(?:field|sep)="[^"]*"', "", out))
    return out
