"""Helpers shared by the explorer's browser tests: a headless Chromium (skipped when it or
Playwright is missing, except in CI, where that is a failure), a page opener that blocks
every request but the page's own and records errors and dialogs, and ``kg viz``/``kg plot``
run as the ``kg`` command runs them.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.drawing import plot, viz
from kg.cli.main import KgGroup, Settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")


def run(*args: str, **settings) -> tuple[int, str]:
    """Run ``kg viz`` / ``kg plot`` under a KgGroup, as the ``kg`` command does."""
    group = KgGroup(commands={"viz": viz, "plot": plot})
    result = CliRunner().invoke(group, list(args), obj=Settings(**settings))
    if result.exit_code not in (0, 1, 2):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"chromium is missing ({CHROMIUM}); scripts/test.sh installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """An open explorer page and everything it tried: requests, errors, dialogs."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)


@pytest.fixture
def visit(browser):
    """Open a page with the network blocked: only the page's own file:// URL may load."""
    contexts = []

    def open_page(path: Path) -> Visit:
        context = browser.new_context(viewport={"width": 1280, "height": 800},
                                      service_workers="block")
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)
        url = path.resolve().as_uri()

        def route(request_route):
            if request_route.request.url == url:
                request_route.continue_()
            else:
                seen.requests.append(request_route.request.url)
                request_route.abort()

        context.route("**/*", route)
        page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.wait_for_function("window.kgExplorer && window.kgExplorer.ready", timeout=20000)
        return seen

    yield open_page
    for context in contexts:
        context.close()


def assert_clean(seen: Visit) -> None:
    assert seen.requests == [], "the page tried to fetch something"
    assert seen.errors == []
    assert seen.dialogs == []
    assert seen.js("document.querySelectorAll('img').length") == 0
