"""viz.Playground as a user meets it: a real Jupyter server, a notebook in headless Chromium.

The test runs once per notebook interface: JupyterLab, Notebook 7 (``notebook>=7``, JupyterLab's
front end in the classic layout) and the classic notebook (``nbclassic``: the Jupyter Notebook 6
front end, whose widgets come from ipywidgets' ``widgetsnbextension``). Each starts its own server
on 127.0.0.1 (a free port, a random token, its own config and runtime folders), opens a notebook
whose one cell shows ``viz.Playground()``, runs the cell, presses play, and checks from the page
that the epoch counter advances, the test loss shown falls and the boundary picture changes;
then it presses pause and saves a screenshot of the widget (to the test's temporary folder, or,
for JupyterLab, to ``docs/playground.png`` with ``UPDATE_SCREENSHOT=1``).

It needs Debian's ``chromium`` (``apt-get install -y chromium``; ``.ci/run`` installs it) and
the Python packages ``playwright``, ``jupyterlab``, ``notebook``, ``nbclassic`` and
``ipywidgets`` (the ``test`` extra); no browser is downloaded. Where chromium is missing the test
fails and says how to install it.
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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Interface:
    """A notebook front end: the server that serves it, where its notebook and cell editor are."""

    module: str  # ``python -m <module>`` starts its server
    notebook_url: str  # the page of ``playground.ipynb`` under the server's root
    editor: str  # CSS selector of the first cell's editor (clicked to focus it)
    kernel_ready: str  # JavaScript predicate: the page shows its kernel connected and idle


def classic_prefix() -> str:
    """Where nbclassic serves its pages: ``/nbclassic`` beside Notebook 7, the root without it."""
    from nbclassic import nbclassic_path

    return nbclassic_path()


# JupyterLab and Notebook 7 share JupyterLab's front end (CodeMirror 6, the toolbar's kernel
# name and status); the classic notebook has its own (CodeMirror 5, the kernel indicator in its
# header). JupyterLab's toolbar shows "idle" for a moment while its kernel is still "No Kernel":
# a cell run then is dropped, not queued, so the test waits for the kernel's name as well.
LAB_EDITOR = ".jp-Notebook .jp-Cell .cm-content"
LAB_KERNEL_READY = (
    "() => document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle'"
    " && (document.querySelector('.jp-Toolbar-kernelName')?.textContent ?? '')"
    ".includes('Python 3')"
)
CLASSIC_KERNEL_READY = "() => document.querySelector('#kernel_indicator_icon.kernel_idle_icon')"
INTERFACES = {
    "jupyterlab": Interface(
        "jupyterlab", "/lab/tree/playground.ipynb", LAB_EDITOR, LAB_KERNEL_READY
    ),
    "notebook7": Interface(
        "notebook", "/notebooks/playground.ipynb", LAB_EDITOR, LAB_KERNEL_READY
    ),
    "nbclassic": Interface(
        "nbclassic", "{classic}/notebooks/playground.ipynb", "#notebook .cell .CodeMirror",
        CLASSIC_KERNEL_READY,
    ),
}  # fmt: skip
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


@pytest.fixture(params=sorted(INTERFACES), ids=str)
def jupyter(request, tmp_path):
    """A Jupyter server of one interface on 127.0.0.1 serving a notebook: yields
    (interface name, URL of the notebook's page with its token)."""
    name = request.param
    interface = INTERFACES[name]
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    for folder in ("config", "runtime", "workspaces", "settings"):
        (tmp_path / folder).mkdir()
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
    )
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(notebooks / "playground.ipynb")
    log_path = tmp_path / "server.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", interface.module, "--no-browser", "--ip=127.0.0.1",
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
                    pytest.fail(f"{name} did not start: " + log_path.read_text())
                time.sleep(0.2)
        page = interface.notebook_url.format(
            classic=classic_prefix() if name == "nbclassic" else ""
        )
        yield name, f"{url}{page}?token={token}"
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_playground_trains_in_a_real_browser(jupyter, tmp_path):
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(
            f"the browser test needs Debian's chromium at {CHROMIUM}: apt-get install -y chromium "
            "(or set CHROMIUM to a Chromium executable)"
        )
    from playwright.sync_api import sync_playwright

    name, notebook_url = jupyter
    interface = INTERFACES[name]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        try:
            page.set_default_timeout(45_000)
            page.goto(notebook_url)
            page.wait_for_function(interface.kernel_ready)
            page.locator(interface.editor).first.click()
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
                if os.environ.get("UPDATE_SCREENSHOT") == "1" and name == "jupyterlab"
                else tmp_path / f"playground-{name}.png"
            )
            widget.screenshot(path=str(screenshot))
            print(f"{name}: screenshot {screenshot}; epochs {epochs}, test loss {loss_before} -> "
                  f"{loss_after}")  # fmt: skip
        except Exception:
            page.screenshot(path=str(tmp_path / f"page-{name}.png"))  # what the page showed
            raise
        finally:
            browser.close()
