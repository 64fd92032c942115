"""Training text for the fixture models, from files any Debian machine has or installs.

code: the Python standard library sources (/usr/lib/python3.11, package libpython3.11-stdlib).
text: the Python documentation sources (python3.11-doc, the reStructuredText under _sources),
      plus the licence texts in /usr/share/common-licenses.
Files are split into train and held-out by a hash of their path, so held-out files are never seen.
"""
import glob
import hashlib
import html
import os
import re

STDLIB = "/usr/lib/python3.11"
DOC_ROOTS = ["/usr/share/doc/python3.11/html/_sources", "/usr/share/doc/python3.11-doc/html/_sources"]
LICENSES = "/usr/share/common-licenses"


def _held_out(path: str) -> bool:
    return int(hashlib.sha256(path.encode()).hexdigest(), 16) % 10 == 0


def _read(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def code_files():
    files = sorted(p for p in glob.glob(f"{STDLIB}/**/*.py", recursive=True)
                   if "/test" not in p and "/site-packages/" not in p and "/dist-packages/" not in p)
    return files


def text_files():
    files = []
    for root in DOC_ROOTS:
        files += sorted(glob.glob(f"{root}/**/*.txt", recursive=True))
    files += sorted(p for p in glob.glob(f"{LICENSES}/*") if os.path.isfile(p))
    return files


def load(kind: str, split: str):
    """Returns a list of (path, text) for kind 'code' or 'text' and split 'train' or 'heldout'."""
    files = code_files() if kind == "code" else text_files()
    want_held_out = split == "heldout"
    out = []
    for path in files:
        if _held_out(path) != want_held_out:
            continue
        text = _read(path)
        if kind == "text":
            text = clean_rst(text)
        if len(text) > 200:
            out.append((path, text))
    return out


def clean_rst(text: str) -> str:
    text = re.sub(r"\.\. [a-z-]+::.*", "", text)
    text = re.sub(r":[a-z]+:`~?([^`<]+?)(?: <[^>]+>)?`", r"\1", text)
    text = text.replace("``", "")
    return html.unescape(text)
