"""„Das Social-Media-Team“ presents its members from ``content/data/authors.yml`` (``team``,
``team_role``), grouped by department; bad team fields stop the build with a German message;
the footer, the company line and the signature link follow the data too."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build_site, copy_fixture, page
from magazin.core.build import BuildFailed
from magazin.german.slugs import slugify_de

AUTHORS = yaml.safe_load((ROOT / "content/data/authors.yml").read_text(encoding="utf-8"))
DEPARTMENTS = yaml.safe_load((ROOT / "content/data/departments.yml").read_text(encoding="utf-8"))
CHANNELS = yaml.safe_load((ROOT / "content/data/channels.yml").read_text(encoding="utf-8"))


def test_team_page_presents_the_16_members_by_department(sample_output):
    doc = page(sample_output, "/social-media-team/")
    section = doc.select_one("section#mitglieder")
    assert section is not None
    assert section.select_one("h2").get_text(" ", strip=True) == "Die 16 Mitglieder"
    members = [p for p in AUTHORS if p.get("team")]
    assert len(members) == 16  # the company's own count (shared/seed)
    dep_names = {d["slug"]: d["name"] for d in DEPARTMENTS}
    assert "Aus allen 7 Abteilungen" in section.select_one("header").get_text(" ", strip=True)
    shown = {}
    order = []
    for tile in section.select("[data-team-member]"):
        name = tile.select_one("h3").get_text(strip=True)
        department = tile.select_one("[data-team-department]").get_text(strip=True)
        order.append(department)
        shown[name] = (
            department,
            tile.select_one("[data-team-role]").get_text(strip=True),
            tile.select_one("[data-team-task]").get_text(strip=True),
            tile.select_one("a"),
        )
    # every department has members; they appear in the order of departments.yml
    assert list(dict.fromkeys(order)) == [d["name"] for d in DEPARTMENTS]
    assert sorted(shown) == sorted(p["name"] for p in members)
    for person in members:
        department, role, task, link = shown[person["name"]]
        assert department == dep_names[person["department"]]
        assert role == person["role"]
        assert task == f"Im Team: {person['team_role']}"
        author_page = sample_output / "autoren" / slugify_de(person["name"]) / "index.html"
        # people who wrote articles are linked to their author page, the others are not
        assert (link is not None) == author_page.is_file()
        if link is not None:
            assert link["href"].rstrip("/").endswith(f"/autoren/{slugify_de(person['name'])}")
    # people outside the team are not listed
    assert "Jürgen Weiß" not in shown and "Jürgen Weiß" in {p["name"] for p in AUTHORS}
    # the list follows the page text
    assert section.find_previous("article") is not None


def _authors_with(tmp_path: Path, extra: str) -> tuple[Path, Path]:
    content = copy_fixture("mini", tmp_path / "site")
    path = content / "data" / "authors.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  bio: Schreibt über Werkstoffe.\n", "  bio: Schreibt über Werkstoffe.\n" + extra, 1)
    )
    return content, path


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("  team: vielleicht\n", "„team: vielleicht“ ist kein Ja/Nein-Wert"),
        ("  team_role: Fotos\n", "„team_role“ steht da, aber die Person ist nicht als Mitglied markiert"),
        ("  team: true\n  team_role: ''\n", "das Feld „team_role“ ist leer"),
    ],
)
def test_bad_team_fields_stop_the_build(tmp_path, extra, message):
    content, path = _authors_with(tmp_path, extra)
    out = tmp_path / "output"
    with pytest.raises(BuildFailed) as info:
        build_site(content, out)
    problems = "\n".join(info.value.problems)
    assert f"{path}:1:" in problems and "Jürgen Weiß" in problems and message in problems
    assert not out.exists()


def test_follow_us_lists_every_channel_but_the_magazine(sample_output):
    follow = [c["url"] for c in CHANNELS if c["platform"] != "blog"]
    assert len(follow) < len(CHANNELS)  # the sample data has the magazine as a channel
    for url in ("/", "/social-media/", "/social-media-team/"):
        doc = page(sample_output, url)
        footer = doc.select_one(".site-footer")
        assert footer.select_one("h2").get_text(strip=True) == "Folgen Sie uns"
        assert [a["href"] for a in footer.select(".channel-links a")] == follow
    home = page(sample_output, "/")
    assert [a["href"] for a in home.select("main .channel-links a")] == follow


def test_company_line_is_worded_from_the_data_everywhere(sample_output):
    from pelican.settings import read_settings

    company = read_settings(str(ROOT / "pelicanconf.py")).get("CHANNELS_COMPANY") or {}
    if not company:  # the channels plugin's default
        from magazin.channels.plugin import DEFAULTS

        company = DEFAULTS["CHANNELS_COMPANY"]
    line = f"{company['name']} · {company['claim']}"
    legal = page(sample_output, "/").select_one(".site-footer__legal").get_text(" ", strip=True)
    assert legal.startswith(f"© {line} ·")
    signature = (sample_output / "social-media/signatur/index.html").read_text(encoding="utf-8")
    assert company["claim"] in signature
    assert "Edelstahlrohre und Rohrverbindungsteile" not in legal  # the second wording is gone


def test_signature_is_reachable_but_not_advertised_to_customers(sample_output):
    social = page(sample_output, "/social-media/")
    assert not [a for a in social.select("main a") if "signatur" in a.get("href", "")]
    assert "Signatur" not in social.select_one("main").get_text(" ")
    assert (sample_output / "social-media/signatur/index.html").is_file()
    intranet = page(sample_output, "/intranet/aktuelles.html")
    link = intranet.select_one(".heco-aktuelles__signatur a")
    assert link["href"].endswith("/social-media/signatur/")
    assert link.get_text(strip=True) == "E-Mail-Signatur mit unseren Kanälen erstellen"
