#!/usr/bin/env python3
"""Tests of `verdict explore`, the web explorer.

  explore_test.py --verdict PATH http      the server's defences, with plain HTTP
  explore_test.py --verdict PATH browser   the page in headless Chromium (Selenium)

http: a wrong or missing session token and a wrong Host or Origin get 403;
malformed API calls get 4xx with a message; oversized requests are refused;
the server answers normally after each.

browser: loads the page, takes three steps by clicking enabled steps, goes
back one by clicking "back", saves the path with "save trace" (a real
download), and checks that the page showed, at every step, what
`verdict replay --json` says of the saved trace: the same step text, the
world's fingerprint, the invariants violated, and node states that changed
exactly where the replay says the step changed them. Exits 77 (skipped) when
Selenium or chromedriver is missing, unless VERDICT_REQUIRE_BROWSER=1 (CI).
"""
import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time


def start(verdict, *args):
    proc = subprocess.Popen([verdict, "explore", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/([0-9a-f]{32})/", line)
    if not m:
        proc.kill()
        sys.exit(f"no URL in the explorer's first line: {line!r} {proc.stderr.read()}")
    return proc, int(m.group(1)), m.group(2), m.group(0)


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


def expect(cond, what):
    if not cond:
        sys.exit("FAILED: " + what)
    print("ok:", what)


def test_http(verdict):
    proc, port, token, url = start(verdict, "lockserv")
    try:
        api = f"/{token}/api/"
        status, body = request(port, "GET", api + "view")
        expect(status == 200 and json.loads(body)["position"] == 0, "the token's view is served")
        wrong = "0" * 32 if token != "0" * 32 else "1" * 32
        status, body = request(port, "GET", f"/{wrong}/api/view")
        expect(status == 403 and b"enabled" not in body, "a wrong token gets 403 and no state")
        status, body = request(port, "GET", f"/{wrong}/")
        expect(status == 403 and b"<script" not in body, "a wrong token gets no page")
        status, _ = request(port, "GET", "/api/view")
        expect(status == 403, "no token: 403")
        status, _ = request(port, "GET", f"/{token}x/api/view")
        expect(status == 403, "the token with more after it: 403")
        status, body = request(port, "GET", api + "view", headers={"Host": f"evil.example:{port}"})
        expect(status == 403 and b"enabled" not in body, "a wrong Host (DNS rebinding) gets 403")
        status, _ = request(port, "GET", api + "view", headers={"Host": "127.0.0.1:1"})
        expect(status == 403, "a Host with another port gets 403")
        status, _ = request(port, "POST", api + "step", body=b'{"index":0}',
                            headers={"Origin": "http://evil.example"})
        expect(status == 403, "another Origin gets 403")
        status, body = request(port, "POST", api + "step", body=b'{"index": 0')
        expect(status == 400 and b"not JSON" in body, "malformed JSON gets 400 with a message")
        status, body = request(port, "POST", api + "step", body=b'{"index": -1}')
        expect(status == 400 and b"whole number" in body, "a negative index gets 400")
        status, body = request(port, "POST", api + "step", body=b'[1,2]')
        expect(status == 400, "a JSON array gets 400")
        status, body = request(port, "POST", api + "step", body=b'{"index": 9999}')
        expect(status == 409 and b"no enabled step" in body, "an index past the steps gets 409")
        status, _ = request(port, "GET", api + "step")
        expect(status == 405, "GET on a POST call gets 405")
        status, _ = request(port, "GET", api + "nonsense")
        expect(status == 404, "an unknown call gets 404")
        status, _ = request(port, "POST", api + "back")
        expect(status == 409, "back at the initial state gets 409")
        status, _ = request(port, "POST", api + "step", body=b"x" * (65 * 1024))
        expect(status == 413, "a body over 64 KiB gets 413")
        # Raw garbage on the socket, then a huge header: the server survives both.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"\x00\xffGARBAGE\r\n\r\n")
            reply = s.recv(4096)
            expect(reply.startswith(b"HTTP/1.1 400"), "garbage on the socket gets 400")
        status, _ = request(port, "GET", api + "view", headers={"X-Big": "a" * 10000})
        expect(status == 431, "headers over 8 KiB get 431")
        status, body = request(port, "POST", api + "step", body=b'{"index": 0}')
        expect(status == 200 and json.loads(body)["position"] == 1,
               "the server still answers and takes a step after all that")
        expect(proc.poll() is None, "the server is still running")
        status, body = request(port, "POST", api + "step", body=b'{"index": 0}')
        expect(status == 200 and json.loads(body)["position"] == 2, "a second step")
        status, body = request(port, "GET", api + "trace")
        expect(status == 200, "the path as a trace file")
        path_view = json.loads(request(port, "GET", api + "view")[1])
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    expect(proc.returncode == 0, "SIGTERM stops the explorer cleanly (exit 0)")
    test_open_trace(verdict, body, path_view)


def test_open_trace(verdict, trace_text, path_view):
    """--trace FILE: the trace's path ahead, to walk forward and branch off."""
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
        f.write(trace_text)
    r = subprocess.run([verdict, "explore", "kv", "--trace", f.name], capture_output=True,
                       text=True, timeout=20)
    expect(r.returncode == 2 and "trace of model lockserv" in r.stderr,
           "--trace of another model: exit 2, naming the trace's model")
    proc, port, token, _ = start(verdict, "lockserv", "--trace", f.name)
    try:
        api = f"/{token}/api/"
        view = json.loads(request(port, "GET", api + "view")[1])
        expect(view["position"] == 0 and view["length"] == 2 and view["notice"] == "",
               "the trace opens at its initial state with its two steps ahead")
        request(port, "POST", api + "forward")
        view = json.loads(request(port, "POST", api + "forward")[1])
        expect(view["position"] == 2 and view["fingerprint"] == path_view["fingerprint"],
               "forward twice reaches the state the trace was saved in")
        request(port, "POST", api + "back")
        choices = json.loads(request(port, "GET", api + "view")[1])["enabled"]
        other = [e["index"] for e in choices if e["label"] != path_view["path"][1]["label"]]
        expect(len(other) > 0, "another step is enabled where the trace went on")
        view = json.loads(request(port, "POST", api + "step",
                                  body=json.dumps({"index": other[0]}).encode())[1])
        expect(view["length"] == 2 and view["path"][1]["label"] != path_view["path"][1]["label"],
               "taking it branches off the trace")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        os.unlink(f.name)


def page_state(driver):
    """What the page shows: position, fingerprint, violated invariants, node states."""
    nodes = {}
    for el in driver.find_elements("css selector", "#nodes .node"):
        nodes[el.get_attribute("data-node")] = json.loads(
            el.find_element("css selector", "pre.state").text)
    violated = [el.get_attribute("data-name")
                for el in driver.find_elements("css selector", "#invariants .inv.bad")]
    return {"position": int(driver.find_element("id", "position").text),
            "fingerprint": driver.find_element("id", "fingerprint").text,
            "step": driver.find_element("id", "laststep").text,
            "violated": violated, "nodes": nodes}


def test_browser(verdict, artifacts):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.support.ui import WebDriverWait
    except ImportError:
        return skip("python3-selenium is not installed")
    driver_path = "/usr/bin/chromedriver"
    if not os.path.exists(driver_path):
        return skip("chromedriver is not installed (Debian: chromium-driver)")

    downloads = tempfile.mkdtemp(prefix="verdict-explore-")
    # lockserv with the seeded bug: three steps in, an agent can hold the lock
    # while another is granted it soon after; the path goes where we click.
    proc, port, token, url = start(verdict, "lockserv", "--param", "bug=grant-when-held")
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.execute_cdp_cmd("Page.setDownloadBehavior",
                               {"behavior": "allow", "downloadPath": downloads})
        driver.get(url)
        wait = WebDriverWait(driver, 20)

        def at(position):
            wait.until(lambda d: d.find_element("id", "position").text == str(position)
                       and d.find_element("id", "fingerprint").text != "")

        at(0)
        seen = [page_state(driver)]
        expect(len(seen[0]["nodes"]) == 3, "the page shows lockserv's three nodes")
        clicked = []
        for i in range(3):
            buttons = driver.find_elements("css selector", "#enabled button.step")
            expect(len(buttons) > 0, f"steps are enabled at step {i}")
            # A different choice each time: the last enabled step.
            clicked.append(re.sub(r"^\u25b6 ", "", buttons[-1].text))
            buttons[-1].click()
            at(i + 1)
            seen.append(page_state(driver))
            expect(seen[-1]["step"] == clicked[-1], f"step {i + 1} is the one clicked")
        changed = driver.find_elements("css selector", "#nodes .node.changed, #nodes .chg, tr.new")
        expect(len(changed) > 0, "what the last step changed is highlighted")
        driver.save_screenshot(os.path.join(artifacts, "explore.png"))
        driver.find_element("id", "back").click()
        at(2)
        expect(page_state(driver) == seen[2], "back shows step 2's state again")
        ahead = driver.find_elements("css selector", "#path li.ahead")
        expect(len(ahead) == 1, "step 3 stays on the path, ahead")
        driver.find_element("id", "save").click()
        saved = os.path.join(downloads, "lockserv-explore.json")
        deadline = time.time() + 20
        while not os.path.exists(saved) and time.time() < deadline:
            time.sleep(0.2)
        expect(os.path.exists(saved), "save trace downloads lockserv-explore.json")
        check_replay(verdict, saved, seen, clicked)
        check_export_page(verdict, driver, saved, downloads)
    finally:
        driver.quit()
        proc.terminate()
        proc.wait(timeout=10)
    print("screenshot:", os.path.join(artifacts, "explore.png"))


def check_replay(verdict, saved, seen, clicked):
    """The saved trace replays, and the page showed what the replay says."""
    print("screenshot:", os.path.join(artifacts, "explore.png"))


def check_replay(verdict, saved, seen, clicked):
    """The saved trace replays, and the page showed what the replay says."""
    with open(saved) as f:
        trace = json.load(f)
    expect(len(trace["steps"]) == 2, "the saved path has the two steps before the back")
    r = subprocess.run([verdict, "replay", "--json", saved], capture_output=True, text=True)
    expect(r.returncode in (0, 1), f"verdict replay accepts the saved trace (exit {r.returncode})")
    replay = json.loads(r.stdout)
    expect(replay["verdict"] in ("no_violation", "reproduced", "violated"),
           f"the replay does not diverge ({replay['verdict']})")
    expect(replay["initial_fingerprint"] == seen[0]["fingerprint"],
           "the page's initial fingerprint is the replay's")
    expect(len(replay["steps"]) == 2, "the replay took both steps")
    for step in replay["steps"]:
        i = step["step"]
        page, before = seen[i], seen[i - 1]
        expect(page["step"] == step["text"] == clicked[i - 1],
               f"step {i}: page, replay and click name the same step")
        expect(page["fingerprint"] == step["fingerprint"],
               f"step {i}: the page's fingerprint is the replay's ({step['fingerprint']})")
        expect(page["violated"] == step["violated"], f"step {i}: the same invariants violated")
        touched = step["touched"]["nodes"]
        for node, state in page["nodes"].items():
            if node in touched:
                expect(state == touched[node], f"step {i}: node {node}'s state is the replay's")
            else:
                expect(state == before["nodes"][node], f"step {i}: node {node} did not change")


def check_export_page(verdict, driver, saved, directory):
    """The HTML export of the saved trace: clicking a step shows its node states."""
    with open(saved) as f:
        trace = json.load(f)
    page = os.path.join(directory, "trace.html")
    subprocess.run([verdict, "export", saved, "--format", "html", "-o", page], check=True,
                   capture_output=True)
    driver.get("file://" + page)
    expect(len(driver.find_elements("css selector", "g.io.in")) >= 1,
           "the export draws the client's input on the clients' lane")
    for i, step in enumerate(trace["steps"], start=1):
        driver.find_element("css selector", f'g.event[data-step="{i}"] circle').click()
        detail = driver.find_element("id", "detail").text
        expect(detail.startswith(f"{i}. {step['text']}"), f"export: clicking step {i} shows it")
        heads = driver.find_elements("css selector", "#detail h3")
        states = driver.find_elements("css selector", "#detail pre")
        shown = {h.text.split()[0]: json.loads(pre.text) for h, pre in zip(heads, states)}
        expect(shown == {f"n{n}": state for n, state in step["touched"]["nodes"].items()},
               f"export: step {i} shows the node states it changed")
        for p in step["touched"]["sent"]:
            expect(f"sends n{p['from']}\u2192n{p['to']}" in detail,
                   f"export: step {i} shows what it sent")


def skip(why):
    if os.environ.get("VERDICT_REQUIRE_BROWSER") == "1":
        sys.exit(f"FAILED: {why} (VERDICT_REQUIRE_BROWSER=1)")
    print("SKIPPED:", why)
    sys.exit(77)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--verdict", required=True)
    parser.add_argument("--artifacts", default=".")
    parser.add_argument("mode", choices=["http", "browser"])
    args = parser.parse_args()
    if args.mode == "http":
        test_http(args.verdict)
    else:
        test_browser(args.verdict, args.artifacts)


if __name__ == "__main__":
    main()
