"""The GitHub workflow passes zizmor (pinned in requirements-dev.txt), offline, with no findings.

zizmor's default audits would report actions pinned to a tag instead of a commit (high) and
``actions/checkout`` leaving the token in ``.git/config`` (medium); this keeps them out for good.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def _zizmor() -> str:
    found = Path(sys.executable).with_name("zizmor")
    if found.exists():
        return str(found)
    path = shutil.which("zizmor")
    if path is None:
        pytest.fail("zizmor fehlt: pip install -r requirements-dev.txt")
    return path


def _run(workflow: Path) -> list[dict]:
    result = subprocess.run(
        [_zizmor(), "--offline", "--format", "json", "--no-progress", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip().startswith("["), result.stderr
    return json.loads(result.stdout)


def test_workflow_has_no_zizmor_findings():
    findings = _run(WORKFLOW)
    assert findings == [], [f["ident"] for f in findings]


def test_every_action_is_pinned_to_a_commit_and_checkout_keeps_no_token():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    uses = [step for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses
    for step in uses:
        ref = step["uses"].split("@", 1)[1]
        assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), step["uses"]
        if step["uses"].startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_zizmor_would_catch_a_tag_pin_again(tmp_path):
    """The test can fail: the old form of the workflow is reported (both findings of the issue)."""
    old = WORKFLOW.read_text(encoding="utf-8")
    old = old.replace(
        "actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0", "actions/checkout@v4"
    )
    old = old.replace("          fetch-depth: 0\n", "")  # the publish job's whole history (sign-offs)
    old = old.replace("        with:\n          persist-credentials: false\n", "")
    bad = tmp_path / ".github" / "workflows" / "site.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(old, encoding="utf-8")
    idents = sorted(f["ident"] for f in _run(bad))
    assert idents == ["artipacked", "artipacked", "unpinned-uses", "unpinned-uses"]


def test_the_deploy_keeps_the_build_cache_between_runs():
    """Warm CI builds: the deploy job restores and saves cache/ (actions/cache, pinned above)."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["deploy"]["steps"]
    cache = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert len(cache) == 1 and cache[0]["with"]["path"] == "cache"
    publish = next(i for i, s in enumerate(steps) if "invoke publish" in s.get("run", ""))
    assert steps.index(cache[0]) < publish
