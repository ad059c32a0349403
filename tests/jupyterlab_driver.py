"""JupyterLab in headless Chromium, driven over the DevTools protocol, for tests that look at a notebook as a student
meets it: open it, run cells through JupyterLab's own commands, read what the page shows, take screenshots.

Everything runs in a temporary home (settings, runtime files, browser profile), so nothing leaks between tests or
from the machine's own Jupyter set-up. The nbgrader extensions are switched off (students do not have them).
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

NBGRADER_SERVER_EXTENSIONS = ("formgrader", "assignment_list", "course_list", "validate_assignment")
# the notebook panel in the main area (the current widget is unset while the headless window has no focus)
# (by its path: a page may restore other notebooks from an earlier visit)
PANEL = ("Array.from(jupyterapp.shell.widgets('main')).find(w => w.content && w.context && w.sessionContext "
         "&& w.context.path === window.quizgenPath)")


def why_not_available() -> str:
    """'' when JupyterLab, Chromium and a DevTools client are all here, else what is missing."""
    missing = []
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        missing.append("JupyterLab (pip install jupyterlab)")
    try:
        import websocket  # noqa: F401
    except ImportError:
        missing.append("websocket-client (pip install websocket-client)")
    if not chromium():
        missing.append("Chromium (apt-get install chromium)")
    return ", ".join(missing)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """A JupyterLab server on root and a headless Chromium page connected to it."""

    def __init__(self, root: Path, width: int = 1280, height: int = 900, windowing: str = ""):
        """windowing: JupyterLab's notebook windowing mode ('' its default; 'none' renders every cell, as the
        accessibility tree needs)."""
        self.ws = None
        self.root = Path(root)
        self.home = Path(tempfile.mkdtemp(prefix="quizgen-lab-"))
        self.port, self.devtools_port = _free_port(), _free_port()
        self.token = os.urandom(12).hex()
        config = self.home / "config"
        (config / "labconfig").mkdir(parents=True)
        (config / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": {"@jupyter/nbgrader": True}}))
        news = self.home / "settings" / "@jupyterlab" / "apputils-extension"
        news.mkdir(parents=True)
        (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        if windowing:
            tracker = self.home / "settings" / "@jupyterlab" / "notebook-extension"
            tracker.mkdir(parents=True)
            (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": windowing}))
        self.env = {**os.environ, "HOME": str(self.home), "JUPYTER_CONFIG_DIR": str(config),
                    "JUPYTER_RUNTIME_DIR": str(self.home / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(self.home / "settings"),
                    "JUPYTERLAB_WORKSPACES_DIR": str(self.home / "workspaces"),
                    "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
        self.env.pop("JPY_SESSION_NAME", None)
        off = {f"nbgrader.server_extensions.{n}": False for n in NBGRADER_SERVER_EXTENSIONS}
        (config / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"jpserver_extensions": off}}))
        self.log = open(self.home / "server.log", "w")
        self.server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}", "--allow-root",
             f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}", "--LabApp.expose_app_in_browser=True",
             "--LabApp.news_url=",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.root)
        self.browser = subprocess.Popen(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={self.home / 'chromium'}",
             f"--remote-debugging-port={self.devtools_port}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self._connect(width, height)
        except BaseException:
            self.close()
            raise

    def _connect(self, width: int, height: int) -> None:
        import websocket

        pages = self._until(lambda: self._get(f"http://127.0.0.1:{self.port}/api/status?token={self.token}")
                            and self._get(f"http://127.0.0.1:{self.devtools_port}/json"), 90, "JupyterLab and Chromium to start")
        page = next(p for p in json.loads(pages) if p.get("type") == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120, suppress_origin=True)
        self._id = 0
        self.send("Page.enable")
        self.send("Runtime.enable")

    # ---- plumbing ---------------------------------------------------------------------------------------
    @staticmethod
    def _get(url: str) -> str | None:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read().decode("utf-8")
        except OSError:
            return None

    @staticmethod
    def _until(probe, timeout: float, what: str):
        end = time.time() + timeout
        while time.time() < end:
            value = probe()
            if value:
                return value
            time.sleep(0.25)
        raise TimeoutError(f"waited {timeout:.0f} s for {what}")

    def send(self, method: str, **params):
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def js(self, expression: str):
        """The value of a JavaScript expression in the page (promises awaited); `panel` is the notebook panel."""
        wrapped = f"(async () => {{ const panel = window.jupyterapp && {PANEL}; return ({expression}); }})()"
        r = self.send("Runtime.evaluate", expression=wrapped, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"].get("exception", {}).get("description") or r["exceptionDetails"])
        return r["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 90, what: str = ""):
        def probe():
            try:
                return self.js(expression)
            except RuntimeError:
                return None
        return self._until(probe, timeout, what or expression)

    # ---- what a student does --------------------------------------------------------------------------------
    def open(self, name: str) -> None:
        """Open a notebook from the root folder and wait until its kernel is idle."""
        self.send("Page.navigate", url=f"http://127.0.0.1:{self.port}/lab/tree/{name}?reset&token={self.token}")
        self.wait_for("document.readyState === 'complete'", what="the page to load")
        self.js(f"(window.quizgenPath = {json.dumps(name)}, true)")
        self.wait_for("panel && panel.context.isReady", what=f"{name} to open")
        self.wait_for("panel.sessionContext.session && panel.sessionContext.session.kernel && "
                      "panel.sessionContext.session.kernel.status === 'idle'", what="the kernel to start")
        time.sleep(1.0)  # let the page settle (fonts, the first layout)

    def dirty(self) -> bool:
        return bool(self.js("panel.context.model.dirty"))

    def run_cell(self, index: int, timeout: float = 60) -> str:
        """Select cell index, run it with JupyterLab's own command, wait for the kernel, return its output text."""
        self.js(f"(panel.content.activeCellIndex = {index}, true)")
        self.js("jupyterapp.commands.execute('notebook:run-cell')")
        self.wait_for("panel.sessionContext.session.kernel.status === 'idle' && "
                      f"panel.content.widgets[{index}].model.executionCount !== null", timeout, f"cell {index} to run")
        return self.output_text(index)

    def run_all(self, timeout: float = 120) -> None:
        self.js("jupyterapp.commands.execute('notebook:run-all-cells')")
        last = "panel.content.widgets.length - 1"
        self.wait_for(f"panel.sessionContext.session.kernel.status === 'idle' && panel.content.widgets[{last}].model.executionCount !== null",
                      timeout, "Run All to finish")

    def output_text(self, index: int) -> str:
        """The text of the cell's outputs (from its model: JupyterLab renders only the cells in view)."""
        outputs = self.js(f"panel.content.widgets[{index}].model.outputs ? panel.content.widgets[{index}].model.outputs.toJSON() : []") or []
        return "".join((o.get("text") if isinstance(o.get("text"), str) else "".join(o.get("text") or []))
                       or o.get("data", {}).get("text/plain", "") or o.get("evalue", "") for o in outputs)

    def set_source(self, index: int, text: str) -> None:
        self.js(f"(panel.content.widgets[{index}].model.sharedModel.setSource({json.dumps(text)}), true)")

    def save(self) -> None:
        self.js("panel.context.save().then(() => true)")

    def cell_index(self, condition: str) -> int:
        """The index of the first cell whose model satisfies a JavaScript condition on `m` (the cell model)."""
        return self.js(f"panel.content.widgets.findIndex(w => {{ const m = w.model; return {condition}; }})")

    def scroll_to(self, index: int) -> None:
        self.js(f"(panel.content.widgets[{index}].node.scrollIntoView({{block: 'start'}}), true)")
        time.sleep(0.5)

    def narrow(self) -> None:
        """As a student on a small screen does: the side panels closed, the notebook alone."""
        self.js("(jupyterapp.shell.collapseLeft(), jupyterapp.shell.collapseRight(), true)")
        time.sleep(0.5)

    def screenshot(self, path: Path, width: int | None = None, height: int = 900) -> Path:
        if width:
            self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=width < 600)
            time.sleep(1.5)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def accessibility_tree(self) -> list[tuple[str, int | None, str]]:
        """What a screen reader is given: (role, heading level or None, name) for every node of the page."""
        self.send("Accessibility.enable")
        nodes = self.send("Accessibility.getFullAXTree")["nodes"]
        out = []
        for n in nodes:
            level = next((p["value"].get("value") for p in n.get("properties", []) if p.get("name") == "level"), None)
            out.append((n.get("role", {}).get("value", ""), level, n.get("name", {}).get("value", "")))
        return out

    def server_log(self) -> str:
        self.log.flush()
        return (self.home / "server.log").read_text(errors="replace")

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
        for proc in (self.browser, self.server):
            proc.terminate()
        for proc in (self.browser, self.server):
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> "JupyterLab":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
