"""Raw HTML and embed codes as authors paste them: what the author and the reader would notice.

Each test pins one promise that a small slip in ``editorial/rawhtml.py`` or
``editorial/embedcodes.py`` broke without any test noticing (issue 24):

- ``{ onclick=… }`` (an attribute list without the colon) stops the build like ``{: onclick=… }``;
- raw HTML between two code spans on one line is still checked (a tracking ``<img srcset>``);
- ``//host/…`` (protocol-relative) in ``<video poster>`` or ``<source src>`` is a foreign server;
- an X embed code whose text links another post becomes the card of the post it embeds.

The fast tests (``scan_html``, ``find_embed_codes``) run under ``invoke mutants``; the built
site shows what the author and the reader get (marked ``slow``).
"""

from __future__ import annotations

import pytest

from conftest import build_site, copy_fixture, page
from magazin.core.build import BuildFailed
from magazin.editorial.embedcodes import find_embed_codes, identify, replace_embed_codes
from magazin.editorial.rawhtml import scan_html

ARTICLE = "articles/technik/eingefuegt.md"
HEADER = "Title: Eingefügt\nDate: 2026-11-20 09:00\nAuthor: Jürgen Weiß\nSummary: Was Autoren einfügen.\n\n"

# What an author writes (line numbers in the finished file: header 5 lines, then these).
ATTR_LIST_WITHOUT_COLON = "Hier klicken{ onclick=alert(1) }"
BETWEEN_CODE_SPANS = (
    'Mit `x` und <img srcset="https://tracker.example/p.gif 1x" alt="Zähler"> und `y` im Satz.'
)
VIDEO = [
    '<video controls poster="//cdn.example/vorschau.jpg">',
    '  <source src="//cdn.example/montage.mp4" type="video/mp4">',
    "</video>",
]
AUDIO_SOURCE = [
    "<audio controls>",
    '  <source src="//cdn.example/interview.mp3" type="audio/mpeg">',
    "</audio>",
]

# X's embed code as its "Embed post" dialog writes it (tests/fixtures/pasted/embed_codes.md, the
# radforschung post) with a sentence in the post that links an earlier post, as X writes links
# to other posts in a post's text. The post it embeds is named by the date link at the end.
X_EMBED_LINKING_ANOTHER = [
    '<blockquote class="twitter-tweet"><p lang="de" dir="ltr">Nachtrag zu '
    '<a href="https://twitter.com/radforschung/status/983000000000000001?ref_src=twsrc%5Etfw">'
    "unserem Beitrag von gestern</a>: das zweite Schloss lässt sich per BLE öffnen.</p>"
    "&mdash; radforschung (@radforschung) "
    '<a href="https://twitter.com/radforschung/status/983360948932153344?ref_src=twsrc%5Etfw">'
    "April 9, 2018</a></blockquote>",
    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>',
]
EMBEDDED = "https://x.com/radforschung/status/983360948932153344"
LINKED = "983000000000000001"


def _messages(lines: list[str]) -> list[tuple[int, str]]:
    return [(f.index, f.message) for f in scan_html(lines)]


# --- fast: the check itself ---------------------------------------------------------------


def test_attribute_list_without_colon_with_a_handler_is_refused():
    for text in (
        ATTR_LIST_WITHOUT_COLON,
        "Hier klicken{:onclick=alert(1)}",
        "![Rohr](/r.png){ onerror=x() }",
    ):
        found = _messages(["Vorher.", "", text])
        assert [i for i, _ in found] == [2], text
        assert "in {: …} würde im Browser Code ausführen" in found[0][1]
    assert _messages(["Text{ .hinweis #anker }"]) == []  # a harmless list stays
    (finding,) = _messages(['Text{ style="background:url(https://t.example/p.gif)" }'])
    assert finding == (0, "Die Angabe in {: …} lädt über url(…) eine fremde Datei.")


def test_raw_html_between_two_code_spans_is_checked():
    assert _messages(["Vorher.", BETWEEN_CODE_SPANS]) == [
        (1, "<img> lädt „https://tracker.example/p.gif“ von einem fremden Server.")
    ]
    # the code spans themselves stay code: an <img> shown as code is no finding
    assert _messages(['Zeige `<img srcset="https://t.example/a.gif 1x">` und ``<b>``.']) == []
    # a handler between code spans on one line, too
    assert _messages(["`a` <b onclick=alert(1)>fett</b> `b`"]) == [
        (0, "Das Attribut „onclick“ an <b> würde im Browser Code ausführen.")
    ]


def test_youtube_players_that_show_no_video_say_why():
    live = "https://www.youtube.com/embed/live_stream?channel=@heco{gmbh}"
    (finding,) = scan_html([f'<iframe src="{live}"></iframe>'])
    assert finding.message.startswith(f"Dieser YouTube-Einbettungscode zeigt kein einzelnes Video: „{live}“")
    assert "(Kanal @heco{gmbh})" in finding.message  # braces in the address are kept as written
    (finding,) = scan_html(['<iframe src="//www.youtube.com/embed/live_stream?channel=@heco"></iframe>'])
    assert "zeigt kein einzelnes Video" in finding.message
    # a playable video inside running text is no embed code of its own: a plain iframe finding
    (finding,) = scan_html(['Text <iframe src="https://www.youtube.com/embed/8qcPq4peows"></iframe> mehr'])
    assert (
        finding.message
        == "Ein <iframe> von www.youtube.com lädt fremde Inhalte, bevor die Leser eingewilligt haben."
    )


def test_plain_http_and_ftp_media_are_foreign_servers_too():
    assert _messages(['<video poster="http://cdn.example/p.jpg"></video>']) == [
        (0, "<video> lädt „http://cdn.example/p.jpg“ von einem fremden Server.")
    ]
    assert _messages(['<audio src="ftp://files.example/a.mp3"></audio>']) == [
        (0, "<audio> lädt „ftp://files.example/a.mp3“ von einem fremden Server.")
    ]


def test_protocol_relative_addresses_in_media_are_foreign_servers():
    assert _messages(["Einleitung.", "", *VIDEO]) == [
        (2, "<video> lädt „//cdn.example/vorschau.jpg“ von einem fremden Server."),
        (3, "<source> lädt „//cdn.example/montage.mp4“ von einem fremden Server."),
    ]
    assert _messages(AUDIO_SOURCE) == [
        (1, "<source> lädt „//cdn.example/interview.mp3“ von einem fremden Server.")
    ]
    assert _messages(['<img srcset="/images/a.png 1x, //cdn.example/b.png 2x" alt="B">']) == [
        (0, "<img> lädt „//cdn.example/b.png“ von einem fremden Server.")
    ]
    # our own files (site-relative) are fine
    assert _messages(['<video controls poster="/images/technik/vorschau.jpg">', "</video>"]) == []


def test_x_embed_code_names_the_post_it_embeds_not_one_its_text_links():
    (code,) = find_embed_codes(["Davor.", "", *X_EMBED_LINKING_ANOTHER, "", "Danach."])
    assert (code.first, code.last, code.platform, code.url) == (2, 3, "x", EMBEDDED)
    assert identify(X_EMBED_LINKING_ANOTHER[0]) == ("x", EMBEDDED)
    replaced = replace_embed_codes(["Davor.", "", *X_EMBED_LINKING_ANOTHER, "", "Danach."])
    assert EMBEDDED in replaced and not any(LINKED in line for line in replaced)
    assert len(replaced) == 7  # the lines after the code keep their numbers


# --- what the author and the reader get ---------------------------------------------------


@pytest.mark.slow
def test_the_build_stops_on_each_slip_with_file_and_line(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    body = [
        "Einleitung.",  # line 6
        "",
        ATTR_LIST_WITHOUT_COLON,  # 8
        "",
        BETWEEN_CODE_SPANS,  # 10
        "",
        *VIDEO,  # 12-14
        "",
    ]
    (content / ARTICLE).write_text(HEADER + "\n".join(body), encoding="utf-8")
    out = tmp_path / "output"
    with pytest.raises(BuildFailed) as info:
        build_site(content, out)
    text = "\n".join(info.value.problems)
    rel = "technik/eingefuegt.md"
    assert f"{rel}:8: Die Angabe „onclick=…“ in {{: …}} würde im Browser Code ausführen." in text
    assert f"{rel}:10: <img> lädt „https://tracker.example/p.gif“ von einem fremden Server." in text
    assert f"{rel}:12: <video> lädt „//cdn.example/vorschau.jpg“ von einem fremden Server." in text
    assert f"{rel}:13: <source> lädt „//cdn.example/montage.mp4“ von einem fremden Server." in text
    assert not out.exists()  # nothing published


@pytest.mark.slow
def test_the_card_shows_the_embedded_post(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    body = ["Der Beitrag:", "", *X_EMBED_LINKING_ANOTHER, "", "Mehr dazu bald."]
    (content / ARTICLE).write_text(HEADER + "\n".join(body) + "\n", encoding="utf-8")
    out = tmp_path / "output"
    build_site(content, out)
    html = (out / "technik/eingefuegt/index.html").read_text(encoding="utf-8")
    doc = page(out, "/technik/eingefuegt/")
    cards = doc.select("[data-post-missing]")  # not imported: a link card to the original
    assert [c["data-post-missing"] for c in cards] == [EMBEDDED]
    assert LINKED not in html
    assert "widgets.js" not in html and not doc.select("blockquote.twitter-tweet")


# --- fast: what `invoke check` and every build tell the author, with the file's line numbers ---


def _source(tmp_path, body: list[str]):
    from magazin.editorial.source import read_source

    path = tmp_path / "eingefuegt.md"
    path.write_text(HEADER + "\n".join(body) + "\n", encoding="utf-8")
    return path, read_source(path, "article")


def test_every_build_names_the_file_and_line_of_each_slip(tmp_path):
    from magazin.editorial.rawhtml import check_raw_html

    body = [
        "Einleitung.",  # line 6
        "```html",
        '<iframe src="https://example.org/"></iframe>',  # shown as code: fine
        "```",
        ATTR_LIST_WITHOUT_COLON,  # 10
        BETWEEN_CODE_SPANS,  # 11
        *X_EMBED_LINKING_ANOTHER,  # 12-13: becomes a card, no finding
        "",
        *VIDEO,  # 15-17
    ]
    path, src = _source(tmp_path, body)
    check_raw_html(src)
    assert [str(p) for p in src.problems] == [
        f"{path}:10: Die Angabe „onclick=…“ in {{: …}} würde im Browser Code ausführen. Lösche sie.",
        f"{path}:11: <img> lädt „https://tracker.example/p.gif“ von einem fremden Server. "
        "Aus Datenschutzgründen lädt das Magazin nichts von fremden Servern: speichere die Datei unter "
        "content/images/<abteilung>/ und binde sie mit {static}/images/… ein. Soll der Code im Artikel "
        "nur gezeigt werden, setze ihn zwischen zwei Zeilen ```.",
        f"{path}:15: <video> lädt „//cdn.example/vorschau.jpg“ von einem fremden Server. "
        "Aus Datenschutzgründen lädt das Magazin nichts von fremden Servern: speichere die Datei unter "
        "content/images/<abteilung>/ und binde sie mit {static}/images/… ein. Soll der Code im Artikel "
        "nur gezeigt werden, setze ihn zwischen zwei Zeilen ```.",
        f"{path}:16: <source> lädt „//cdn.example/montage.mp4“ von einem fremden Server. "
        "Aus Datenschutzgründen lädt das Magazin nichts von fremden Servern: speichere die Datei unter "
        "content/images/<abteilung>/ und binde sie mit {static}/images/… ein. Soll der Code im Artikel "
        "nur gezeigt werden, setze ihn zwischen zwei Zeilen ```.",
    ]


def test_invoke_check_notes_embed_codes_and_rewritten_video_addresses(tmp_path):
    from magazin.editorial.rawhtml import paste_notes

    video = "https://www.youtube.com/watch?v=8qcPq4peows"
    lines = {
        "https://vimeo.com/12345": None,  # not YouTube: the lines after it are still looked at
        "https://www.youtube.com/watch?v=kaputt": None,  # the checks report it
        video: None,  # already as the build reads it
        "<https://youtu.be/8qcPq4peows&t=30>": f"{video}&t=30s",
        "//youtu.be/8qcPq4peows&t=30": f"{video}&t=30s",
        "https://youtu.be/8qcPq4peows&t=30 (ab Minute 1)": None,  # text after it: not alone
        f"<{video}>": None,
        "https://youtu.be/8qcPq4peows?t=30": None,
        f"{video}&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG": None,  # a playlist is kept
        "https://youtu.be/8qcPq4peows&t=30": f"{video}&t=30s",
        f"{video}&v=yqeiXpbDoKg": video,  # the first v= wins
        f"{video}&list=RD8qcPq4peows": video,  # a mix is dropped
        f"{video}&time_continue=12": f"{video}&t=12s",
        f"{video}&amp;t=5": f"{video}&t=5s",
        "https://consent.youtube.com/ml?continue=https://www.youtube.com/watch?v=iwGFalTRHDA&gl=LU": (
            "https://www.youtube.com/watch?v=iwGFalTRHDA"
        ),
        "Siehe https://youtu.be/8qcPq4peows&t=30 hier": None,  # not alone on its line
        "www.youtube.com/watch?v=8qcPq4peows&v=x": None,  # no address: a plain word
    }
    body = []
    for line in lines:
        body += [line, ""]
    body += ["```", "https://youtu.be/8qcPq4peows&t=30", "```", "", *X_EMBED_LINKING_ANOTHER]
    _, src = _source(tmp_path, body)
    notes = list(paste_notes(src))
    expected = [
        (6 + 2 * i, f"Die Video-Adresse wird gelesen als {canonical} (schreibe sie am besten so).")
        for i, canonical in enumerate(lines.values())
        if canonical
    ]
    code_line = 6 + len(body) - 2
    assert notes == [
        (
            code_line,
            "Hier steht der Einbettungscode von X. Er wird beim Bauen zum datenschutzfreundlichen Block; "
            f"einfacher ist die Adresse allein in einer Zeile: {EMBEDDED}",
        ),
        *expected,
    ]


# --- fast: which pasted codes become private blocks, and which stay refused --------------------------
# The real codes of tests/fixtures/pasted/embed_codes.md and the forms older dialogs wrote
# (protocol-relative addresses, Mastodon's blockquote, no class attribute).

YT_OLD = (  # YouTube's embed dialog before 2014: protocol-relative
    '<iframe width="560" height="315" src="//www.youtube.com/embed/8qcPq4peows" frameborder="0" '
    "allowfullscreen></iframe>"
)
MASTODON_IFRAME = (
    '<iframe src="https://digipres.club/@joe/99650486509645352/embed" class="mastodon-embed" '
    'style="max-width: 100%; border: 0" width="400"></iframe>'
)
MASTODON_SCRIPT = '<script src="https://digipres.club/embed.js" async="async"></script>'
MASTODON_URL = "https://digipres.club/@joe/99650486509645352"
MASTODON_QUOTE = [  # Mastodon 4.3's „Einbetten“: a blockquote, its link, and embed.js
    '<blockquote class="mastodon-embed" data-embed-url="https://digipres.club/@joe/99650486509645352/embed" '
    'style="background: #FCF8FF; border-radius: 8px; border: 1px solid #C9C4DA;">',
    '  <a href="https://digipres.club/@joe/99650486509645352" target="_blank">',
    "    <div>Beitrag von @joe@digipres.club</div>",
    "  </a>",
    "</blockquote>",
    '<script data-allowed-prefixes="https://digipres.club/" async src="https://digipres.club/embed.js"></script>',
]
X_CODE, X_SCRIPT = [
    '<blockquote class="twitter-tweet"><p lang="de" dir="ltr">Das zweite Schloss öffnet per BLE.</p>'
    '&mdash; radforschung (@radforschung) <a name="datum"></a>'
    '<a href="https://twitter.com/radforschung/status/983360948932153344?ref_src=twsrc%5Etfw">'
    "April 9, 2018</a>"
    "<br></blockquote>",
    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>',
]


def _codes(lines: list[str]) -> list[tuple[int, int, str, str]]:
    return [(c.first, c.last, c.platform, c.url) for c in find_embed_codes(lines)]


def test_embed_codes_in_every_form_the_dialogs_wrote():
    assert identify(YT_OLD) == ("youtube", "https://www.youtube.com/watch?v=8qcPq4peows")
    assert identify(MASTODON_IFRAME) == ("mastodon", MASTODON_URL)
    bare = '<iframe src="https://digipres.club/@joe/99650486509645352/embed/" width="400"></iframe>'
    assert identify(bare) == ("mastodon", MASTODON_URL)  # no class, trailing slash: still Mastodon's
    assert identify("\n".join(MASTODON_QUOTE[:5])) == ("mastodon", MASTODON_URL)
    assert identify(X_CODE) == ("x", "https://x.com/radforschung/status/983360948932153344")
    assert _codes(["Davor.", *MASTODON_QUOTE, "Danach."]) == [(1, 6, "mastodon", MASTODON_URL)]
    assert _codes([MASTODON_IFRAME + MASTODON_SCRIPT]) == [(0, 0, "mastodon", MASTODON_URL)]
    assert _codes([X_CODE, X_SCRIPT]) == [(0, 1, "x", "https://x.com/radforschung/status/983360948932153344")]
    old_x = X_SCRIPT.replace("https://platform", "//platform")  # X's code before 2016
    assert _codes([X_CODE + old_x]) == [(0, 0, "x", "https://x.com/radforschung/status/983360948932153344")]


@pytest.mark.parametrize(
    "html",
    [
        "<iframe></iframe>",  # no address
        '<iframe src="https://example.org/player/embed"></iframe>',  # ends like Mastodon's, is not
        # the post's page, not its embed address
        '<iframe src="https://digipres.club/@joe/99650486509645352" class="mastodon-embed"></iframe>',
        '<iframe src="http://digipres.club/@joe/99650486509645352/embed"></iframe>',  # not https
        '<blockquote class="twitter-tweet"><p>Text</p><a href="https://digipres.club/@joe/99650486509645352">'
        "Mastodon</a></blockquote>",  # an X code without an X post
        '<blockquote class="twitter-tweet"><p>Text</p><a>ohne Adresse</a></blockquote>',
        '<blockquote class="mastodon-embed" data-embed-url="https://digipres.club/@joe/9"></blockquote>',
        '<blockquote class="mastodon-embed"><p>ohne Adresse</p></blockquote>',
        '<blockquote class="zitat"><a href="https://twitter.com/a/status/1">x</a></blockquote>',
        "<p>kein Code</p>",
    ],
)
def test_codes_that_are_not_an_embed_stay_raw_html(html):
    assert identify(html) is None
    assert _codes([html]) == []


@pytest.mark.parametrize(
    ("lines", "refused"),
    [
        ([X_CODE, '<script src="https://evil.example/widgets.js"></script>'], "<script>"),
        ([X_CODE, '<script src="https://platform.twitter.com/tracker.js"></script>'], "<script>"),
        ([X_CODE + "<script>alert(1)</script>"], "<script>"),
        ([X_CODE, "<script async></script>"], "<script>"),
        ([MASTODON_IFRAME + '<script src="https://evil.example/embed.js"></script>'], "<script>"),
        ([MASTODON_IFRAME + '<script src="https://digipres.club/evil.js"></script>'], "<script>"),
        ([YT_OLD + '<script src="https://www.youtube.com/iframe_api"></script>'], "<script>"),
        ([X_CODE, X_SCRIPT + "<script>alert(1)</script>"], "<script>"),
        ([MASTODON_IFRAME + " und Text danach"], "<iframe>"),
    ],
)
def test_a_script_beside_an_embed_code_is_never_swallowed(lines, refused):
    """Only the platform's own loader belongs to its code: anything else beside it keeps the
    code from counting as one, and the raw-HTML check refuses it."""
    codes = find_embed_codes(lines)
    assert all(code.last < len(lines) - 1 for code in codes) or not codes
    found = scan_html(lines)
    assert any(refused in f.message for f in found), [f.message for f in found]


def test_the_replacement_keeps_every_later_line_number():
    # the fixture's eight-line youtube-nocookie iframe, then the old one-line code
    multi = [
        "<iframe",
        '    style="width: 100%; aspect-ratio: 16/9;"',
        '    src="https://www.youtube-nocookie.com/embed/UxTJeEbZX-0?si=mwQUzXb6mmCg7aom"',
        '    title="YouTube video player"',
        '    frameborder="0"',
        '    allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope"',
        "    allowfullscreen",
        "></iframe>",
    ]
    text = ["Davor.", *multi, "Mitte.", YT_OLD, "Ende."]
    assert replace_embed_codes(text) == [
        "Davor.",
        "",
        "https://www.youtube.com/watch?v=UxTJeEbZX-0",
        "",
        "",
        "",
        "",
        "",
        "",
        "Mitte.",
        "",
        "https://www.youtube.com/watch?v=8qcPq4peows",
        "",
        "Ende.",
    ]
    assert replace_embed_codes(["Nur Text."]) == ["Nur Text."]


def test_the_markdown_extension_turns_a_code_into_its_address():
    import markdown

    from magazin.editorial.embedcodes import EmbedCodeExtension, makeExtension

    html = markdown.markdown(
        "Davor.\n\n" + MASTODON_IFRAME + MASTODON_SCRIPT + "\n\nDanach.", extensions=[makeExtension()]
    )
    assert html == f"<p>Davor.</p>\n<p>{MASTODON_URL}</p>\n<p>Danach.</p>"
    md = markdown.Markdown(extensions=[EmbedCodeExtension()])
    assert "magazine_embed_codes" in md.preprocessors
    # before Python-Markdown stashes raw HTML (html_block), so the code never reaches the page
    order = md.preprocessors.get_index_for_name
    assert order("magazine_embed_codes") < order("html_block")
