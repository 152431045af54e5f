"""What readers read, without tracking anyone: reader statistics from the web server's own
access log (shortened IPs, see ``magazin.server``), counted by GoAccess.

- ``settings``: ``STATISTICS_*``; ``logs``: reading, filtering and anonymising the log;
  ``goaccess``: running GoAccess and reading its JSON; ``figures``: the period's sums named
  with the site's articles and videos; ``charts``: server-side SVG; ``report``: the intranet
  page (``invoke statistik``) and the section of ``invoke bericht``; ``privacy``: the
  generated section of the Datenschutzerklärung; ``retention``: deleting old logs.
- As a listed plugin (``plugin.py``) it adds the privacy section, the campaign markers and
  the address the consent script and the search page report to.
"""

from .plugin import register
from .settings import DEFAULTS, statistics_setting, with_campaign

__all__ = ["DEFAULTS", "register", "statistics_setting", "with_campaign"]
