"""Mozilla HTTP Observatory's scoring rules, evaluated offline on one answer's headers and HTML.

Implemented from the documented methodology: mozilla/http-observatory,
``httpobs/docs/scoring.md`` at commit ce1fabec7424d93615c4baaddab959b5fd2002f4 ("Last Updated:
2018-01-18"): baseline 100, the modifiers of each test below, bonus points only when the score
without them is at least 90, grades from the chart (100+ is A+). Every test of that document
is evaluated; contribute.json (Mozilla's own sites only) and HPKP (all modifiers 0 or a broken
header) are listed with their documented result for a site like ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

GRADES = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
          (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F")]  # fmt: skip
SIX_MONTHS = 15768000
PRIVATE_REFERRERS = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
UNSAFE_REFERRERS = {"origin", "origin-when-cross-origin", "unsafe-url"}
BROAD = {"*", "http:", "https:", "data:"}


@dataclass
class Score:
    results: dict[str, tuple[str, int]] = field(default_factory=dict)

    def add(self, test: str, result: str, modifier: int) -> None:
        self.results[test] = (result, modifier)

    @property
    def score(self) -> int:
        penalties = sum(m for _, m in self.results.values() if m < 0)
        bonus = sum(m for _, m in self.results.values() if m > 0)
        base = max(0, 100 + penalties)
        return base + bonus if base >= 90 else base

    @property
    def grade(self) -> str:
        return next(grade for floor, grade in GRADES if self.score >= floor)


def parse_csp(header: str) -> dict[str, list[str]]:
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            policy.setdefault(tokens[0].lower(), [t.lower() for t in tokens[1:]])
    return policy


def _csp(headers: dict[str, str], score: Score) -> None:
    header = headers.get("content-security-policy")
    if header is None:
        score.add("content-security-policy", "csp-not-implemented", -25)
        return
    csp = parse_csp(header)
    if not csp:
        score.add("content-security-policy", "csp-header-invalid", -25)
        return
    default = csp.get("default-src")
    script = csp.get("script-src", default)
    obj = csp.get("object-src", default)
    style = csp.get("style-src", default) or []
    if (
        script is None
        or obj is None
        or "'unsafe-inline'" in script
        or "data:" in script
        or BROAD & set(script)
        or BROAD & set(obj)
    ):
        score.add("content-security-policy", "csp-implemented-with-unsafe-inline", -20)
    elif insecure := {
        name for name, sources in csp.items() for s in sources if s == "http:" or s.startswith("http://")
    }:
        active = insecure - {"img-src", "media-src"}
        score.add(
            "content-security-policy",
            "csp-implemented-with-insecure-scheme"
            if active
            else "csp-implemented-with-insecure-scheme-in-passive-content-only",
            -20 if active else -10,
        )
    elif "'unsafe-eval'" in script:
        score.add("content-security-policy", "csp-implemented-with-unsafe-eval", -10)
    elif "'unsafe-inline'" in style or BROAD & set(style):
        score.add("content-security-policy", "csp-implemented-with-unsafe-inline-in-style-src-only", 0)
    elif default == ["'none'"]:
        score.add("content-security-policy", "csp-implemented-with-no-unsafe-default-src-none", 10)
    else:
        score.add("content-security-policy", "csp-implemented-with-no-unsafe", 5)


def evaluate(url: str, headers: dict[str, str], html: str, redirect: tuple[int, str] | None) -> Score:
    """Score the answer of ``url`` (an https site's page; header names any case).

    ``redirect``: status and Location of the same path requested over plain http, or ``None``
    when nothing answers on http (``redirection-not-needed-no-http``)."""
    headers = {k.lower(): v for k, v in headers.items()}
    score = Score()
    score.add("contribute", "contribute-json-only-required-on-mozilla-properties", 0)
    cookies = headers.get("set-cookie")
    if cookies is None:
        score.add("cookies", "cookies-not-found", 0)
    else:
        flags = cookies.lower()
        ok = "secure" in flags and "httponly" in flags and "samesite" in flags
        score.add(
            "cookies",
            "cookies-secure-with-httponly-sessions-and-samesite" if ok else "cookies-without-secure-flag",
            5 if ok else -20,
        )
    acao = headers.get("access-control-allow-origin")
    if acao is None:
        score.add("cross-origin-resource-sharing", "cross-origin-resource-sharing-not-implemented", 0)
    elif acao.strip() == "*":
        score.add(
            "cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-public-access", 0
        )
    else:
        score.add(
            "cross-origin-resource-sharing",
            "cross-origin-resource-sharing-implemented-with-restricted-access",
            0,
        )
    _csp(headers, score)
    score.add("public-key-pinning", "hpkp-not-implemented", 0)
    hsts = headers.get("strict-transport-security")
    if hsts is None:
        score.add("strict-transport-security", "hsts-not-implemented", -20)
    else:
        values = dict(
            [*part.strip().split("=", 1), ""][:2] for part in hsts.lower().split(";") if part.strip()
        )
        try:
            age = int(values.get("max-age", "").strip('"'))
        except ValueError:
            score.add("strict-transport-security", "hsts-header-invalid", -20)
        else:
            if age >= SIX_MONTHS:
                score.add("strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0)
            else:
                score.add("strict-transport-security", "hsts-implemented-max-age-less-than-six-months", -10)
    host = urlsplit(url).hostname
    if redirect is None:
        score.add("redirection", "redirection-not-needed-no-http", 0)
    else:
        status, location = redirect
        target = urlsplit(urljoin(f"http://{host}/", location or ""))
        if status not in (301, 302, 303, 307, 308):
            score.add("redirection", "redirection-missing", -20)
        elif target.scheme != "https":
            score.add("redirection", "redirection-not-to-https", -20)
        elif target.hostname != host:
            score.add("redirection", "redirection-off-host-from-http", -5)
        else:
            score.add("redirection", "redirection-to-https", 0)
    referrer = headers.get("referrer-policy")
    policies = {p.strip().lower() for p in (referrer or "").split(",") if p.strip()}
    if referrer is None:
        score.add("referrer-policy", "referrer-policy-not-implemented", 0)
    elif policies & UNSAFE_REFERRERS:
        score.add("referrer-policy", "referrer-policy-unsafe", -5)
    elif policies and policies <= PRIVATE_REFERRERS:
        score.add("referrer-policy", "referrer-policy-private", 5)
    elif policies == {"no-referrer-when-downgrade"}:
        score.add("referrer-policy", "referrer-policy-no-referrer-when-downgrade", 0)
    else:
        score.add("referrer-policy", "referrer-policy-header-invalid", -5)
    if "html" not in headers.get("content-type", ""):
        score.add("subresource-integrity", "sri-not-implemented-response-not-html", 0)
    else:
        scripts = [s for s in BeautifulSoup(html, "lxml").find_all("script") if s.get("src")]
        external = [s for s in scripts if urlsplit(urljoin(url, s["src"])).hostname != host]
        if not scripts:
            score.add("subresource-integrity", "sri-not-implemented-but-no-scripts-loaded", 0)
        elif not external:
            if all(s.get("integrity") for s in scripts):
                score.add("subresource-integrity", "sri-implemented-and-all-scripts-loaded-securely", 5)
            else:
                score.add(
                    "subresource-integrity",
                    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
                    0,
                )
        elif all(urljoin(url, s["src"]).startswith("https://") for s in external):
            if all(s.get("integrity") for s in external):
                score.add("subresource-integrity", "sri-implemented-and-external-scripts-loaded-securely", 5)
            else:
                score.add(
                    "subresource-integrity", "sri-not-implemented-but-external-scripts-loaded-securely", -5
                )
        else:
            score.add(
                "subresource-integrity", "sri-not-implemented-and-external-scripts-not-loaded-securely", -50
            )
    xcto = headers.get("x-content-type-options")
    if xcto is None:
        score.add("x-content-type-options", "x-content-type-options-not-implemented", -5)
    elif xcto.strip().lower() == "nosniff":
        score.add("x-content-type-options", "x-content-type-options-nosniff", 0)
    else:
        score.add("x-content-type-options", "x-content-type-options-header-invalid", -5)
    xfo = (headers.get("x-frame-options") or "").strip().lower()
    if "frame-ancestors" in parse_csp(headers.get("content-security-policy", "")):
        score.add("x-frame-options", "x-frame-options-implemented-via-csp", 5)
    elif xfo in ("deny", "sameorigin"):
        score.add("x-frame-options", "x-frame-options-sameorigin-or-deny", 0)
    elif xfo.startswith("allow-from"):
        score.add("x-frame-options", "x-frame-options-allow-from-origin", 0)
    else:
        score.add(
            "x-frame-options",
            "x-frame-options-not-implemented" if not xfo else "x-frame-options-header-invalid",
            -20,
        )
    strong_csp = score.results["content-security-policy"][1] > 0
    xxp = (headers.get("x-xss-protection") or "").replace(" ", "").lower()
    if strong_csp:
        score.add("x-xss-protection", "x-xss-protection-not-needed-due-to-csp", 0)
    elif xxp == "1;mode=block":
        score.add("x-xss-protection", "x-xss-protection-enabled-mode-block", 0)
    elif xxp == "1":
        score.add("x-xss-protection", "x-xss-protection-enabled", 0)
    elif xxp == "0":
        score.add("x-xss-protection", "x-xss-protection-disabled", -10)
    else:
        score.add(
            "x-xss-protection",
            "x-xss-protection-not-implemented" if not xxp else "x-xss-protection-header-invalid",
            -10,
        )
    return score
