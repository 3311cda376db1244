"""Run axe-core on the page in the browser and fail on serious or critical violations."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}


def check_accessibility(page) -> None:
    """Inject axe-core, check the page against WCAG 2.2 A and AA, and fail on serious issues."""
    page.wait_for_load_state()
    # The page fixture injects axe as each page loads; this covers a tab opened some other way.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(
            f"    {node['target']} {node['html'][:160]}\n      {node['failureSummary']}"
            for node in violation["nodes"]
        )
        for violation in results["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]
    if problems:
        pytest.fail(f"axe found problems on {page.url}:\n" + "\n".join(problems), pytrace=False)
    if page.console_errors:
        pytest.fail(
            f"the browser reported errors on {page.url}:\n" + "\n".join(page.console_errors),
            pytrace=False,
        )
