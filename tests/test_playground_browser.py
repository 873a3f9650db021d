"""viz.Playground as a user meets it: a real JupyterLab server, a notebook in headless Chromium.

The test starts JupyterLab on 127.0.0.1 (a free port, a random token, its own config and
runtime folders), opens a notebook whose one cell shows ``viz.Playground()``, runs the cell,
presses play, and checks from the page that the epoch counter advances, the test loss shown
falls and the boundary picture changes; then it presses pause and saves a screenshot of the
widget (to the test's temporary folder, or to ``docs/playground.png`` with
``UPDATE_SCREENSHOT=1``).

It needs Debian's ``chromium`` (``apt-get install -y chromium``; ``.ci/run`` installs it) and
the Python packages ``playwright``, ``jupyterlab`` and ``ipywidgets`` (the ``test`` extra); no
browser is downloaded. Where chromium is missing the test fails and says how to install it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CELL = "import viz\n\nplayground = viz.Playground()\nplayground"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_notebook(path: Path) -> None:
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": CELL,
                "outputs": [],
                "execution_count": None,
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook))


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on 127.0.0.1 serving ``tmp_path``: yields (base URL, token)."""
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    for name in ("config", "runtime", "workspaces", "settings"):
        (tmp_path / name).mkdir()
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
    )
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(notebooks / "playground.ipynb")
    log = open(tmp_path / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", "--ServerApp.port_retries=0", "--allow-root",
        f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={notebooks}"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "JupyterLab did not start: " + (tmp_path / "jupyterlab.log").read_text()
                    )
                time.sleep(0.2)
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_playground_trains_in_jupyterlab_in_a_real_browser(jupyterlab, tmp_path):
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(
            f"the browser test needs Debian's chromium at {CHROMIUM}: apt-get install -y chromium "
            "(or set CHROMIUM to a Chromium executable)"
        )
    from playwright.sync_api import sync_playwright

    url, token = jupyterlab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.set_default_timeout(45_000)
            page.goto(f"{url}/lab/tree/playground.ipynb?token={token}")
            page.locator(".jp-Notebook .jp-Cell .cm-content").first.click()
            page.keyboard.press("Shift+Enter")
            widget = page.locator(".cr-playground")
            widget.wait_for()
            epoch = page.locator(".cr-epoch-value")
            test_loss = page.locator(".cr-test-loss")
            boundary = page.locator("img.cr-boundary")
            boundary.wait_for()
            page.wait_for_function(
                "() => document.querySelector('img.cr-boundary').naturalWidth === 300"
            )
            assert epoch.inner_text() == "000,000"  # the Playground's counter
            loss_before = float(test_loss.inner_text())
            picture_before = boundary.screenshot()

            page.locator("button.cr-play").click()
            page.wait_for_function(
                "() => +document.querySelector('.cr-epoch-value').textContent.replace(/,/g, '')"
                " >= 40",
                timeout=40_000,
            )
            page.wait_for_timeout(300)  # a frame or two more
            page.locator("button.cr-play").click()  # pause
            page.wait_for_function(
                "() => document.querySelector('button.cr-play').textContent.includes('Play')"
            )
            epochs = int(epoch.inner_text().replace(",", ""))
            loss_after = float(test_loss.inner_text())
            picture_after = boundary.screenshot()

            assert epochs >= 40
            assert loss_after < loss_before - 0.05, (loss_before, loss_after)
            assert picture_after != picture_before
            screenshot = (
                REPO / "docs" / "playground.png"
                if os.environ.get("UPDATE_SCREENSHOT") == "1"
                else tmp_path / "playground.png"
            )
            widget.screenshot(path=str(screenshot))
            print(f"screenshot: {screenshot}; epochs {epochs}, test loss {loss_before} -> "
                  f"{loss_after}")  # fmt: skip
        finally:
            browser.close()
