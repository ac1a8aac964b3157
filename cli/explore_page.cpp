// The explorer's page (`verdict explore`): one self-contained HTML file with
// its CSS and JavaScript, served from the binary, so the explorer works
// offline and loads nothing from elsewhere. It calls the JSON API of
// app/explorer.hpp with URLs relative to the page (which carry the session
// token).
#include "cli/commands.hpp"
#include "traces/html_script.hpp"

namespace verdict::cli {

namespace {

constexpr const char* kHead = R"VERDICT_PAGE(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>verdict explore</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#263238;color:#fff;padding:8px 14px;display:flex;gap:14px;align-items:center;flex-wrap:wrap}
header b{font-size:16px} header code{color:#b2dfdb}
button{font:inherit;cursor:pointer;border:1px solid #90a4ae;background:#fff;border-radius:4px;padding:2px 8px}
button:disabled{opacity:.4;cursor:default}
main{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,2fr) minmax(0,1fr);gap:12px;padding:12px}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 10px;margin-bottom:12px}
h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:#546e7a;margin:0 0 6px}
pre{margin:0;font:12px/1.35 ui-monospace,monospace;white-space:pre-wrap;word-break:break-word}
.chg{background:#fff59d;outline:1px solid #fbc02d}
.node{border:1px solid #cfd8dc;border-radius:5px;padding:6px;margin-bottom:8px}
.node.changed{border-color:#fbc02d;box-shadow:0 0 0 2px #fff59d}
.node.down{background:#eceff1;color:#78909c}
.node h3{margin:0 0 4px;font-size:13px}
.step{display:block;width:100%;text-align:left;margin:2px 0;font:12px ui-monospace,monospace;overflow-wrap:anywhere}
.step:hover{background:#e3f2fd}
.kind{font-weight:bold;color:#37474f;margin-top:6px}
ol#path{padding-left:26px;margin:0;font:12px ui-monospace,monospace}
ol#path li{cursor:pointer;padding:1px 2px;overflow-wrap:anywhere}
ol#path li.current{background:#bbdefb;font-weight:bold}
ol#path li.ahead{color:#90a4ae}
ol#path li.bad{color:#c62828}
.bad{color:#c62828;font-weight:bold} .ok{color:#2e7d32}
#banner{display:none;background:#ffebee;border:1px solid #e57373;color:#b71c1c;padding:6px 10px;margin:12px 12px 0;border-radius:6px}
#notice{display:none;background:#fff8e1;border:1px solid #ffca28;padding:6px 10px;margin:12px 12px 0;border-radius:6px}
#error{color:#ffcdd2}
td{vertical-align:top;padding:1px 6px 1px 0;font:12px ui-monospace,monospace;overflow-wrap:anywhere}
.new{background:#fff59d} td:first-child{white-space:nowrap}
</style></head><body>
<header><b>verdict explore</b><span id="model"></span>
<span>step <span id="position">0</span> of <span id="length">0</span></span>
<button id="back" title="Back (left arrow)">&#9664; back</button>
<button id="forward" title="Forward (right arrow)">forward &#9654;</button>
<button id="save" title="Download the path so far as a trace file for verdict replay">save trace</button>
<span>fingerprint <code id="fingerprint"></code></span><span id="error"></span></header>
<div id="banner"></div><div id="notice"></div>
<main>
<div>
<section><h2>Enabled steps</h2><div id="enabled"></div></section>
<section><h2>Path</h2><div id="initial"></div><ol id="path"></ol></section>
</div>
<div>
<section><h2>Last step</h2><pre id="laststep"></pre></section>
<section><h2>Nodes</h2><div id="nodes"></div></section>
</div>
<div>
<section><h2>Invariants</h2><div id="invariants"></div></section>
<section><h2>Packets in flight</h2><table id="packets"></table></section>
<section><h2>Timers</h2><table id="timers"></table></section>
<section><h2>Network</h2><div id="network"></div></section>
<section><h2>Clients</h2><table id="clients"></table></section>
<section><h2>Client I/O</h2><table id="io"></table></section>
</div>
</main>
<script>
"use strict";
let view = null;
const $ = id => document.getElementById(id);
)VERDICT_PAGE";

// After json_diff_script() (esc, same, compact, jsonHtml).
constexpr const char* kBody = R"VERDICT_PAGE(
// Rows of a table, the ones not in `old` (as a multiset) marked new.
function rows(id, items, old, cells) {
  const left = (old || []).map(x => JSON.stringify(x));
  $(id).innerHTML = items.length ? items.map(x => {
    const k = left.indexOf(JSON.stringify(x));
    const fresh = old && k < 0;
    if (k >= 0) left.splice(k, 1);
    return '<tr class="' + (fresh ? "new" : "") + '">' + cells(x).map(c => "<td>" + c + "</td>").join("") + "</tr>";
  }).join("") : "<tr><td>none</td></tr>";
}

function render(v) {
  view = v;
  const s = v.state || {}, p = v.previous;
  $("model").innerHTML = "<code>" + esc(v.model) + "</code> " + esc(Object.entries(v.params).map(([k, x]) => k + "=" + x).join(" "));
  $("position").textContent = v.position;
  $("length").textContent = v.length;
  $("fingerprint").textContent = v.fingerprint;
  $("back").disabled = v.position === 0;
  $("forward").disabled = v.position >= v.length;
  $("banner").style.display = v.violated.length ? "block" : "none";
  $("banner").textContent = v.violated.length ? "Invariant violated in this state: " + v.violated.join(", ") : "";
  $("notice").style.display = v.notice ? "block" : "none";
  $("notice").textContent = v.notice ? "Opening the trace: " + v.notice : "";
  $("invariants").innerHTML = v.invariants.length ? v.invariants.map(i =>
    '<div class="inv ' + (i.holds ? "ok" : "bad") + '" data-name="' + esc(i.name) + '">' + (i.holds ? "&#10003; " : "&#10007; VIOLATED: ") + esc(i.name) + "</div>").join("") : "none";
  // Enabled steps, grouped by kind.
  let html = "", kind = null;
  v.enabled.forEach(e => {
    const k = e.label && e.label.step ? e.label.step : "step";
    if (k !== kind) { html += '<div class="kind">' + esc(k) + "</div>"; kind = k; }
    const next = v.path[v.position];
    const isNext = next && next.ahead && same(next.label, e.label);
    html += '<button class="step" data-index="' + e.index + '">' + (isNext ? "&#9654; " : "") + esc(e.text) + "</button>";
  });
  $("enabled").innerHTML = html || "<i>no step is enabled: the run ends here</i>";
  $("initial").innerHTML = '<span class="' + (v.position === 0 ? "current" : "") + '" data-position="0" style="cursor:pointer">' + (v.position === 0 ? "&#9654; " : "") + "initial state</span>";
  $("path").innerHTML = v.path.map(e => '<li data-position="' + e.step + '" class="' + (e.step === v.position ? "current " : "") + (e.ahead ? "ahead " : "") + (e.violated.length ? "bad" : "") + '">' + esc(e.text) + (e.violated.length ? " &#10007; " + esc(e.violated.join(", ")) : "") + "</li>").join("");
  $("laststep").innerHTML = v.step ? esc(v.step.text) : "(initial state)";
  if (!Array.isArray(s.nodes)) {  // not a system: the state as it is
    $("nodes").innerHTML = '<div class="node" data-node="state"><pre class="state">' + jsonHtml(v.state, p === null ? undefined : p, p !== null, 0) + "</pre></div>";
    return;
  }
  $("nodes").innerHTML = s.nodes.map(n => {
    const before = p && p.nodes ? p.nodes[n.id] : undefined;
    const changed = before !== undefined && (!same(before.state, n.state) || before.up !== n.up);
    return '<div class="node ' + (n.up ? "" : "down ") + (changed ? "changed" : "") + '" data-node="' + n.id + '"><h3>n' + n.id +
      (n.up ? "" : ' <span class="bad">CRASHED</span>') + "</h3><pre class=\"state\">" +
      jsonHtml(n.state, before ? before.state : undefined, before !== undefined, 0) + "</pre></div>";
  }).join("");
  rows("packets", s.packets, p && p.packets, x => ["n" + x.from + "&rarr;n" + x.to, compact(x.msg)]);
  rows("timers", s.timers, p && p.timers, x => ["n" + x.node, compact(x.timer)]);
  rows("clients", s.clients, p && p.clients, c => ["c" + c.client, "op " + c.next_op + "/" + c.ops +
    (c.waiting ? ", waiting on n" + c.waiting_on : "") + (c.resend ? ", to resend" : "") + (c.timeouts ? ", " + c.timeouts + " timeouts" : "")]);
  rows("io", s.io, p && p.io, e => e.input !== undefined ? ["c" + e.client + "&rarr;n" + e.node, "input " + compact(e.input)]
                                                          : ["n" + e.node + "&rarr;c" + e.client, "output " + compact(e.output)]);
  const down = s.nodes.filter(n => !n.up).map(n => "n" + n.id);
  $("network").innerHTML = "partition: " + (s.partition ? s.partition.map(side => "{" + side.map(n => "n" + n).join(", ") + "}").join(" | ") : "none") +
    "<br>crashed: " + (down.length ? down.join(", ") : "none") + "<br>faults left: " +
    (Object.keys(s.faults).length ? Object.entries(s.faults).map(([k, f]) => esc(k) + " " + (f.budget === null ? "unbounded" : (f.budget - f.used) + " of " + f.budget)).join(", ") : "none (reliable network)");
}

async function call(endpoint, body) {
  try {
    const r = await fetch("api/" + endpoint, body === undefined && endpoint === "view" ? {} :
      {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body || {})});
    const j = await r.json();
    if (!r.ok) { $("error").textContent = j.error || r.statusText; return; }
    $("error").textContent = "";
    render(j);
  } catch (e) { $("error").textContent = String(e); }
}

async function save() {
  const r = await fetch("api/trace");
  const text = await r.text();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], {type: "application/json"}));
  a.download = view.model + "-explore.json";
  document.body.appendChild(a);
  a.click();
  a.remove();
}

$("enabled").addEventListener("click", e => { const b = e.target.closest(".step"); if (b) call("step", {index: Number(b.dataset.index)}); });
$("path").addEventListener("click", e => { const li = e.target.closest("li"); if (li) call("goto", {position: Number(li.dataset.position)}); });
$("initial").addEventListener("click", () => call("goto", {position: 0}));
$("back").addEventListener("click", () => call("back"));
$("forward").addEventListener("click", () => call("forward"));
$("save").addEventListener("click", save);
document.addEventListener("keydown", e => {
  if (e.key === "ArrowLeft" && view && view.position > 0) call("back");
  if (e.key === "ArrowRight" && view && view.position < view.length) call("forward");
});
call("view");
</script></body></html>
)VERDICT_PAGE";

}  // namespace

const std::string& explore_page() {
  static const std::string page = std::string(kHead) + json_diff_script() + kBody;
  return page;
}

}  // namespace verdict::cli
