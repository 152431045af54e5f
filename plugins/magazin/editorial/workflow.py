"""The editorial workflow in an article's metadata: state, sign-offs, and what Pelican makes of it.

Metadata keys (documented for authors in docs/autoren.md)::

    Status: Entwurf | In Prüfung | Freigegeben        (default: Freigegeben)
    Freigabe-Abteilung: Anja Voß, 2026-01-20           (proofread by the department)
    Freigabe-Datenschutz: Martin Edelmann, 2026-01-22  (cleared by data protection)

Pelican's own values ``draft``, ``hidden`` and ``published`` keep working.
Development build: every article is published, with a banner while not cleared (Pelican's
``draft`` stays a Pelican draft under /entwuerfe/). Publish build: only articles with both
sign-offs exist; drafts and articles in review are skipped; an article marked for
publication without both sign-offs is an error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

STATUS_KEY = "status"
DEPARTMENT_KEY = "freigabe-abteilung"
PRIVACY_KEY = "freigabe-datenschutz"

DRAFT, REVIEW, RELEASE, HIDDEN = "draft", "review", "release", "hidden"

# Normalised (lower-case, single spaces) status value → workflow status.
STATUS_VALUES: dict[str, str] = {
    "entwurf": DRAFT,
    "draft": DRAFT,
    "in prüfung": REVIEW,
    "in pruefung": REVIEW,
    "prüfung": REVIEW,
    "freigegeben": RELEASE,
    "veröffentlicht": RELEASE,
    "published": RELEASE,
    "hidden": HIDDEN,
    "versteckt": HIDDEN,
}
STATUS_CHOICES = "„Entwurf“, „In Prüfung“ oder „Freigegeben“"

_SIGNOFF_RE = re.compile(r"^(?P<name>.+?)\s*,\s*(?P<date>\S+)$")


def normalise_status(value: str | None) -> str | None:
    """Workflow status for a ``Status:`` value (None: unknown). Missing means released."""
    if value is None or not str(value).strip():
        return RELEASE
    return STATUS_VALUES.get(" ".join(str(value).lower().split()))


@dataclass(frozen=True)
class SignOff:
    """Who signed off, and when."""

    name: str
    date: dt.date

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d.%m.%Y})"


def parse_signoff(value: str | None) -> tuple[SignOff | None, str | None]:
    """``"Name, YYYY-MM-DD"`` → (SignOff, None); a problem → (None, German reason)."""
    if value is None or not str(value).strip():
        return None, None
    match = _SIGNOFF_RE.match(str(value).strip())
    if not match:
        return None, f"„{value}“ hat nicht die Form „Name, JJJJ-MM-TT“"
    try:
        day = dt.date.fromisoformat(match.group("date"))
    except ValueError:
        return None, f"das Datum „{match.group('date')}“ ist kein gültiges Datum der Form JJJJ-MM-TT"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", match.group("date")):
        return None, f"das Datum „{match.group('date')}“ hat nicht die Form JJJJ-MM-TT"
    return SignOff(match.group("name").strip(), day), None


@dataclass(frozen=True)
class Workflow:
    """Where one article stands."""

    status: str  # DRAFT, REVIEW, RELEASE or HIDDEN
    department: SignOff | None
    privacy: SignOff | None
    department_name: str = ""
    pelican_draft: bool = False  # "Status: draft" (Pelican's own): a draft page in the preview too

    @property
    def cleared(self) -> bool:
        return self.department is not None and self.privacy is not None

    @property
    def publishable(self) -> bool:
        return self.status in (RELEASE, HIDDEN) and self.cleared

    def missing(self) -> list[str]:
        """The sign-offs that are still missing, in German."""
        out = []
        if self.department is None:
            name = f" {self.department_name}" if self.department_name else ""
            out.append(f"Freigabe der Abteilung{name} (Freigabe-Abteilung)")
        if self.privacy is None:
            out.append("Freigabe durch den Datenschutz (Freigabe-Datenschutz)")
        return out

    @property
    def label(self) -> str:
        """The state as the status table and the banner show it."""
        if self.status == DRAFT:
            return "Entwurf"
        if self.status == REVIEW:
            if self.department is None:
                return "In Prüfung (Abteilung)"
            if self.privacy is None:
                return "In Prüfung (Datenschutz)"
            return "Geprüft, noch nicht freigegeben"
        if self.cleared:
            return "Freigegeben" if self.status == RELEASE else "Freigegeben (versteckt)"
        return "Freigegeben, Freigaben fehlen"

    def waiting_for(self, author: str = "Autor/in") -> str:
        """Who has to act next."""
        if self.status == DRAFT:
            return f"{author}: Text fertigstellen, dann „Status: In Prüfung“"
        if self.department is None:
            name = f" {self.department_name}" if self.department_name else ""
            return f"Abteilung{name}: Korrektur lesen und freigeben"
        if self.privacy is None:
            return "Datenschutzbeauftragte/r: Freigabe erteilen"
        if self.status == REVIEW:
            return f"{author}: „Status: Freigegeben“ setzen"
        return "—"


def workflow_of(meta: dict, department_name: str = "") -> Workflow:
    """Workflow of an article from its (lower-case keyed) metadata; assumes valid values."""
    raw = str(meta.get(STATUS_KEY) or "").strip().lower()
    status = normalise_status(raw) or RELEASE
    dep, _ = parse_signoff(meta.get(DEPARTMENT_KEY))
    priv, _ = parse_signoff(meta.get(PRIVACY_KEY))
    return Workflow(status, dep, priv, department_name, pelican_draft=raw == "draft")


def pelican_status(flow: Workflow, publish: bool) -> str:
    """The Pelican status for the development (``publish=False``) or the publish build."""
    if flow.status == DRAFT and flow.pelican_draft:
        return "skip" if publish else "draft"
    if flow.status in (DRAFT, REVIEW):
        return "skip" if publish else "published"
    if flow.status == HIDDEN:
        return "hidden"
    return "published"
