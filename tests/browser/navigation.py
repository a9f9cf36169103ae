"""Clicks that open a page.

Playwright's ``click`` returns once the click is dispatched, not once the page it opens has
loaded; ``page.wait_for_load_state()`` after it may see the *old* page, already loaded, and return
at once. On a busy machine the test then reads the old page (a message of the step before) or
navigates away while the form's POST is still in flight, and the server may never see it. Waiting
for the navigation the click starts is the one sure way.
"""


def follow(page, target) -> None:
    """Click ``target`` (a locator) and wait until the page it opens has loaded."""
    with page.expect_navigation():
        target.click()
