"""Accessibility check of a page with axe-core (WCAG 2.1 A and AA rules).

axe-core comes from the npm registry (``package.json``; ``make test`` runs ``npm ci``). The script
is evaluated in the page (through Playwright, so the site's strict CSP stays on) and run there; the test fails on any *serious* or *critical* violation
and names the rule, the help text and the first offending elements, so the fix is obvious.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def violations(page) -> list[dict]:
    """All axe-core violations of WCAG 2.1 A/AA on the page as it is now."""
    if not AXE.exists():
        raise AssertionError(f"axe-core is missing ({AXE}); run `npm ci` at the project root.")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol, as a tool's script, not added to the
        # page: the site's Content-Security-Policy rightly refuses any inline script.
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return result["violations"]


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} — {targets}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail when the page has a serious or critical WCAG 2.1 AA violation."""
    blocking = [v for v in violations(page) if v.get("impact") in BLOCKING]
    assert not blocking, f"{page.url}\n{describe(blocking)}"


#: Every rule axe-core has for WCAG 2.1 A/AA and its best practices (landmarks, regions, headings).
EVERY_RULE = [*TAGS, "best-practice"]


def findings(page) -> list[dict]:
    """Every axe-core violation of WCAG 2.1 A/AA *and* of its best practices, whatever its
    impact: the bar of an official page ("axe-clean"), where the journeys' ``assert_accessible``
    stops only the serious ones."""
    violations(page)  # loads axe-core into the page
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        EVERY_RULE,
    )
    return result["violations"]
