"""Finding the saved notebook a kernel runs: a path given, VS Code's, the Jupyter server's session, the kernel's
start-up path, or the one notebook of this quiz in the kernel's folder. Standard library only (embedded)."""
import glob
import json
import os
import re

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_SERVERS = 5                # Jupyter servers asked for this kernel's notebook (newest first)
MAX_SCANNED = 500              # notebooks looked at in the kernel's folder when no session names the file


def notebook_metadata(path):
    """The notebook's quizgen metadata and its cells, or None if it is not a readable notebook."""
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            return None
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        nb = json.loads(data.decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(nb, dict):
        return None
    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    mine = meta.get("quizgen") if isinstance(meta.get("quizgen"), dict) else {}
    return mine, nb, data


def is_this_notebook(path, wanted):
    """Whether the file is a notebook of this quiz, role and version (wanted: a dict with those keys)."""
    found = notebook_metadata(path)
    if found is None:
        return False
    mine = found[0]
    return (mine.get("quiz_id") == wanted.get("quiz_id") and mine.get("role") == wanted.get("role")
            and (mine.get("version") or "") == (wanted.get("version") or ""))


def _server_session_path():
    """This kernel's notebook as the Jupyter server knows it now (after a rename too): ask each running server."""
    try:
        from ipykernel.connect import get_connection_file

        m = re.match(r"kernel-(.+)\.json$", os.path.basename(get_connection_file()))
    except Exception:
        return None
    if not m:
        return None
    kernel_id = m.group(1)
    try:
        from jupyter_core.paths import jupyter_runtime_dir

        runtime = jupyter_runtime_dir()
    except Exception:
        return None
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # localhost: never through a proxy
    def newest_first(path):
        try:
            return -os.path.getmtime(path)
        except OSError:
            return 0.0

    infos = sorted(glob.glob(os.path.join(runtime, "jpserver-*.json")) + glob.glob(os.path.join(runtime, "nbserver-*.json")),
                   key=newest_first)
    for info_path in infos[:MAX_SERVERS]:
        try:
            with open(info_path, encoding="utf-8") as fh:
                info = json.load(fh)
            request = urllib.request.Request(info["url"].rstrip("/") + "/api/sessions",
                                             headers={"Authorization": "token " + (info.get("token") or "")})
            with opener.open(request, timeout=2) as response:
                sessions = json.loads(response.read(4_000_000).decode("utf-8"))
        except Exception:
            continue
        for s in sessions if isinstance(sessions, list) else []:
            if isinstance(s, dict) and (s.get("kernel") or {}).get("id") == kernel_id and s.get("path"):
                root = info.get("root_dir") or info.get("notebook_dir") or ""
                return os.path.join(os.path.expanduser(root), *s["path"].split("/"))
    return None


def _session_candidates(namespace):
    yield "VS Code", namespace.get("__vsc_ipynb_file__")
    yield "the Jupyter server", _server_session_path()
    named = namespace.get("__session__") or os.environ.get("JPY_SESSION_NAME")
    if named:
        yield "the kernel's session", named
        yield "the kernel's session", os.path.basename(named)


def find_notebook(path, wanted, namespace):
    """(the saved notebook file, a note or '') or (None, why it was not found). wanted: quiz_id, role and version of
    the notebook; namespace: the notebook's globals (VS Code and ipykernel name the file there)."""
    if path is not None:
        path = os.path.abspath(os.path.expanduser(str(path)))
        if not os.path.isfile(path):
            return None, f"there is no file {path}"
        return path, ""
    for _how, candidate in _session_candidates(namespace):
        if candidate and os.path.isfile(candidate) and is_this_notebook(candidate, wanted):
            return os.path.abspath(candidate), ""
    here = os.getcwd()
    try:
        names = sorted(n for n in os.listdir(here) if n.lower().endswith(".ipynb"))[:MAX_SCANNED]
    except OSError:
        names = []
    mine = [os.path.join(here, n) for n in names if is_this_notebook(os.path.join(here, n), wanted)]
    if len(mine) == 1:
        return mine[0], ""
    if mine:
        newest = max(mine, key=os.path.getmtime)
        return newest, (f"{len(mine)} copies of this quiz are in {here}: checked the one saved last; "
                        f"to check another, run check(\"its name.ipynb\")")
    return None, f"no saved copy of this notebook was found in {here}"
