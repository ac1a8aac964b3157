#!/usr/bin/env python3
"""`verdict lincheck --html` pages as a browser sees them.

For two reference histories that are not linearizable (a Jepsen etcd log, and a
kv history checked per key) it writes the page, loads it in headless Chromium
(--dump-dom: the DOM after parsing) and checks that the page loaded (no console
errors; the title and the SVG timelines are in the DOM) and that the bars are
those of the history: one per invocation, in the SVG, as many lanes as
processes, as many prefix bars as `--json` reports linearized operations, as
many stuck ones as it reports stuck, and for the kv history one section per
key with the failed one marked.

Exit 77 (ctest's SKIP_RETURN_CODE) when Chromium is missing: the check is
skipped, never passed silently. `scripts/install-deps --ci` installs it.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from html.parser import HTMLParser

SKIP = 77


class Dom(HTMLParser):
    """The elements of interest, with whether each sits inside an <svg>."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.ops = Counter()  # class list after "op" -> bars
        self.ops_outside_svg = 0
        self.lanes = 0  # lane labels, one per process per section
        self.sections = []  # (class, heading text) of each <h3>
        self.files = []  # <h2> texts: a history each
        self.svgs = 0
        self.title = ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "svg":
            self.svgs += 1
        if tag == "g" and classes[:1] == ["op"]:
            self.ops[" ".join(classes[1:])] += 1
            if "svg" not in self.stack:
                self.ops_outside_svg += 1
        if tag == "text" and "lane" in classes:
            self.lanes += 1
        if tag in ("h2", "h3", "title") and "svg" not in self.stack:
            self._in = (tag, " ".join(classes))
            if tag == "h3":
                self.sections.append([" ".join(classes), ""])
            if tag == "h2":
                self.files.append("")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass
        if self._in and self._in[0] == tag:
            self._in = None

    def handle_data(self, data):
        if self._in and self._in[0] == "title":
            self.title += data
        elif self._in and self._in[0] == "h3":
            self.sections[-1][1] += data
        elif self._in and self._in[0] == "h2":
            self.files[-1] += data


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)
    print("ok:", message)


def load_in_chromium(chromium, page, workdir):
    result = subprocess.run(
        [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr",
         "--v=0", f"--user-data-dir={workdir}/profile", "--dump-dom", "file://" + page],
        capture_output=True, text=True, timeout=120)
    expect(result.returncode == 0, f"chromium exits 0 on {os.path.basename(page)}")
    console = [l for l in result.stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]
    expect(not console, f"no console errors while loading it ({console[:3]})")
    return result.stdout


def check(verdict, chromium, histories, workdir, name, model, extra):
    history = os.path.join(histories, name)
    page = os.path.join(workdir, os.path.basename(name) + ".html")
    run = subprocess.run([verdict, "lincheck", "--model", model, "--json", "--html", page, *extra,
                          history], capture_output=True, text=True, timeout=120)
    expect(run.returncode == 1, f"{name}: lincheck says not linearizable (exit 1)")
    report = json.loads(run.stdout)["files"][0]
    counterexample = report["counterexample"]
    with open(history, encoding="utf-8") as f:
        text = f.read()
    invocations = len(re.findall(r":invoke", text))
    processes = {int(p) for p in re.findall(r"jepsen\.util - (\d+)\s+:invoke", text)}
    processes |= {int(p) for p in re.findall(r":process (\d+), :type :invoke", text)}

    dom = Dom()
    dom.feed(load_in_chromium(chromium, page, workdir))
    expect(dom.title == f"verdict lincheck --model {model}", f"{name}: the page's title")
    expect(dom.files == [f"{history}: not-linearizable"],
           f"{name}: one history, headed by its file and verdict ({dom.files})")
    expect(dom.svgs >= 1, f"{name}: the DOM holds the SVG timeline(s) ({dom.svgs})")
    bars = sum(dom.ops.values())
    expect(bars == invocations, f"{name}: a bar per invocation ({bars} of {invocations})")
    expect(dom.ops_outside_svg == 0, f"{name}: every bar inside an <svg>")
    prefix = sum(n for cls, n in dom.ops.items() if cls.split()[:1] == ["prefix"])
    stuck = sum(n for cls, n in dom.ops.items() if cls.split()[:1] == ["stuck"])
    expect(prefix == len(counterexample["prefix"]),
           f"{name}: {len(counterexample['prefix'])} prefix bars, as --json reports ({prefix})")
    expect(stuck == len(counterexample["stuck"]) and stuck >= 1,
           f"{name}: {len(counterexample['stuck'])} stuck bars, as --json reports ({stuck})")
    return dom, processes, report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--verdict", required=True)
    parser.add_argument("--histories", required=True)
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "chromium"))
    args = parser.parse_args()
    chromium = shutil.which(args.chromium)
    if not chromium:
        print(f"SKIP: no {args.chromium} on PATH (scripts/install-deps --ci installs chromium)")
        return SKIP
    with tempfile.TemporaryDirectory(prefix="verdict-html-") as workdir:
        dom, processes, _ = check(args.verdict, chromium, args.histories, workdir,
                                  "jepsen/etcd_000.log", "register", [])
        expect(dom.lanes == len(processes), f"etcd_000: a lane per process ({len(processes)})")

        dom, processes, report = check(args.verdict, chromium, args.histories, workdir,
                                       "kv/c01-bad.txt", "kv", [])
        keys = set(re.findall(r':key "([^"]*)"', open(
            os.path.join(args.histories, "kv/c01-bad.txt"), encoding="utf-8").read()))
        expect(len(dom.sections) == len(keys) == report["partitions"],
               f"c01-bad: a section per key ({len(keys)})")
        failed = [text for cls, text in dom.sections if "failed" in cls.split()]
        part = report["counterexample"]["partition"]
        expect(len(failed) == 1 and failed[0].startswith(part + ":"),
               f"c01-bad: one section marked failed, the {part} that --json names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
