"""Internal documents for the editorial process (a library, not a Pelican plugin).

- ``invoke pruefbogen``: one review sheet per article for the data-protection officer
  (``sheet.py``): every third party a reader can reach, links, images, people, the privacy
  sections that apply, what changed since the last clearance, and the line to sign.
- ``invoke bericht``: the one-page status report for the social-media team's meeting every
  three weeks (``meeting.py``).

Both read the site as a development build sees it (``facts.py``) and write HTML and PDF into
``berichte/`` (git-ignored), never into ``output/``.
"""
