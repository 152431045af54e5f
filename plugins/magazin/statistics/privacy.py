"""The section „Zugriffsstatistik“ of the Datenschutzerklärung, generated from the settings
that decide what is counted (marker ``[[Zugriffsstatistik]]`` alone on a line)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from .settings import CAMPAIGN_PARAMETER, statistics_setting

MARKER = "[[Zugriffsstatistik]]"
HEADING = "Zugriffsstatistik ohne Cookies und ohne Profil"


def privacy_markdown(settings: Mapping[str, Any]) -> str:
    """The section as Markdown (German), from the ``STATISTICS_*`` settings."""
    days = int(statistics_setting(settings, "STATISTICS_RETENTION_DAYS"))
    minutes = int(statistics_setting(settings, "STATISTICS_VISIT_MINUTES"))
    path = "/" + str(statistics_setting(settings, "STATISTICS_PATH")).strip("/") + "/"
    campaigns = statistics_setting(settings, "STATISTICS_CAMPAIGNS")
    names = ", ".join(f"„{name}“ (`?{CAMPAIGN_PARAMETER}={key}`)" for key, name in campaigns.items())
    networks = statistics_setting(settings, "STATISTICS_EXCLUDE_NETWORKS")
    lines = [
        f"## {HEADING}",
        "",
        "Um zu erfahren, welche Artikel gelesen werden, werten wir das Zugriffsprotokoll unseres "
        "eigenen Webservers aus. Dafür setzen wir keine Cookies, laden kein Analyse-Skript und "
        "keinen Dienst eines Dritten; beim Lesen einer Seite entsteht keine zusätzliche Anfrage.",
        "",
        "Das Protokoll enthält je Abruf: Ihre IP-Adresse **nur gekürzt** (bei IPv4 ohne das letzte "
        "Byte, bei IPv6 nur die ersten 48 Bit), Datum und Uhrzeit, die aufgerufene Adresse, den "
        "Statuscode, die übertragene Datenmenge, die Referrer-Adresse und die Kennung Ihres Browsers.",
        "",
        "Daraus zählen wir ausschließlich Summen:",
        "",
        "- Seitenaufrufe und Besuche je Artikel, je Abteilung und je Tag; ein Besuch sind Abrufe "
        f"derselben gekürzten IP-Adresse mit derselben Browserkennung ohne Pause von mehr als {minutes} "
        "Minuten. Diese Zuordnung entsteht nur im Arbeitsspeicher während der Auswertung "
        "und wird nicht gespeichert;",
        "- von welchen Websites Leser kamen (nur der Name des Servers, nicht die Adresse der Seite);",
        f"- ob ein Link oder QR-Code aus unseren eigenen Unterlagen benutzt wurde: {names};",
        "- welche Videos abgespielt wurden: Nach Ihrem Klick auf „Video laden“ meldet die Seite "
        f"unserem eigenen Server die Kennung des Videos (Abruf von `{path}video/…`), sonst nichts;",
        "- Suchbegriffe, die auf der Suchseite keinen Treffer ergaben (Abruf von "
        f"`{path}suche?q=…`, ohne Kennung), damit wir fehlende Themen ergänzen können. Bitte geben "
        "Sie in die Suche keine persönlichen Angaben ein.",
        "",
        "Nicht gezählt werden Suchmaschinen und andere Programme, unsere eigenen automatischen "
        "Prüfungen"
        + (" und Abrufe aus dem Netz der heco gmbh" if networks else "")
        + ". Es wird kein Profil gebildet: Wir verknüpfen die Angaben nicht mit anderen Daten, "
        "verfolgen Sie nicht über mehrere Tage oder Websites und können Sie nicht erkennen.",
        "",
        f"Das Zugriffsprotokoll wird nach **{days} Tagen** gelöscht. Die Auswertungen für unsere "
        "Redaktion enthalten nur Summen, keine IP-Adressen und keine Browserkennungen. "
        "Rechtsgrundlage ist Art. 6 Abs. 1 lit. f DSGVO; unser berechtigtes Interesse ist, das "
        "Magazin an den Interessen seiner Leser auszurichten. Sie können der Auswertung "
        "widersprechen (Art. 21 DSGVO); schreiben Sie uns dazu an die oben genannte Adresse.",
    ]
    return "\n".join(lines)


class _Marker(Preprocessor):
    def __init__(self, md: Markdown, text: str):
        super().__init__(md)
        self.text = text

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            if line.strip() == MARKER:
                out.extend(self.text.split("\n"))
            else:
                out.append(line)
        return out


class PrivacySectionExtension(Extension):
    """Replaces ``[[Zugriffsstatistik]]`` with the generated section."""

    def __init__(self, text: str = "", **kwargs):
        self.text = text
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # after fenced code (25): a marker shown in a code block stays text
        md.preprocessors.register(_Marker(md, self.text), "statistics_privacy", 24)
