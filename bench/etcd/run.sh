#!/usr/bin/env bash
# bench/etcd: the same closed-loop workload against a 3-node raft-kv cluster
# (`verdict serve`) and a 3-node etcd cluster, both on loopback on this
# machine with fsync on, driven by the same load generator (verdict-load;
# etcd through its v3 HTTP/JSON gateway, /v3/kv/put and /v3/kv/range).
# Prints throughput and latency percentiles side by side and the ratio.
#
#   bench/etcd/run.sh [BUILD_DIR]     (default: build)
#   CLIENTS=32 DURATION=10 GET_RATIO=0.5 KEYS=1000 VALUE_SIZE=16 ROUNDS=1 bench/etcd/run.sh
#
# Needs etcd (Debian's etcd-server); installs it with `scripts/install-deps
# --bench` when run as root and it is missing. Data directories go under
# $BENCH_DIR (default: a new directory in /tmp), the same file system for both.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
clients=${CLIENTS:-32}
duration=${DURATION:-10}
get_ratio=${GET_RATIO:-0.5}
keys=${KEYS:-1000}
value_size=${VALUE_SIZE:-16}
rounds=${ROUNDS:-1}
verdict=$build/verdict
load=$build/verdict-load
for f in "$verdict" "$load"; do
  [ -x "$f" ] || { echo "missing $f: cmake --build $build -j2 --target verdict verdict-load" >&2; exit 2; }
done
if ! command -v etcd > /dev/null; then
  if [ "$(id -u)" = 0 ]; then scripts/install-deps --bench; fi
  command -v etcd > /dev/null || { echo "etcd not found: run scripts/install-deps --bench as root" >&2; exit 2; }
fi
work=${BENCH_DIR:-$(mktemp -d /tmp/verdict-bench-XXXXXX)}
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  [ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_ports() {  # N free loopback ports
  python3 -c "
import socket,sys
s=[socket.socket() for _ in range(int(sys.argv[1]))]
[x.bind(('127.0.0.1',0)) for x in s]
print(' '.join(str(x.getsockname()[1]) for x in s))" "$1"
}

load_args=(--clients "$clients" --duration "$duration" --warmup 2 --get-ratio "$get_ratio"
           --keys "$keys" --value-size "$value_size" --json)

run_verdict() {
  local ports; read -r -a ports <<< "$(free_ports 6)"
  local peers="127.0.0.1:${ports[0]},127.0.0.1:${ports[1]},127.0.0.1:${ports[2]}"
  local endpoints="127.0.0.1:${ports[3]},127.0.0.1:${ports[4]},127.0.0.1:${ports[5]}"
  local dir=$work/verdict-$1; mkdir -p "$dir"
  # The cluster key: peers prove they hold it and sign every frame (docs/serve.md).
  (umask 077 && head -c 32 /dev/urandom > "$dir/cluster.key")
  local node_pids=()
  for i in 0 1 2; do
    "$verdict" serve raft-kv --id $i --peers "$peers" --client-port "${ports[$((3 + i))]}" \
      --data-dir "$dir/node$i" --cluster-key "$dir/cluster.key" 2> "$dir/node$i.log" &
    node_pids+=($!); pids+=($!)
  done
  for _ in $(seq 50); do
    "$verdict" client --endpoints "$endpoints" --timeout-ms 1000 put warmup x > /dev/null 2>&1 && break
    sleep 0.2
  done
  "$load" --target verdict --endpoints "$endpoints" "${load_args[@]}"
  kill "${node_pids[@]}"; wait "${node_pids[@]}" 2> /dev/null || true
}

run_etcd() {
  local ports; read -r -a ports <<< "$(free_ports 6)"
  local cluster="e0=http://127.0.0.1:${ports[0]},e1=http://127.0.0.1:${ports[1]},e2=http://127.0.0.1:${ports[2]}"
  local endpoints="127.0.0.1:${ports[3]},127.0.0.1:${ports[4]},127.0.0.1:${ports[5]}"
  local dir=$work/etcd-$1; mkdir -p "$dir"
  local node_pids=()
  for i in 0 1 2; do
    etcd --name e$i --data-dir "$dir/e$i" \
      --listen-peer-urls "http://127.0.0.1:${ports[$i]}" \
      --initial-advertise-peer-urls "http://127.0.0.1:${ports[$i]}" \
      --listen-client-urls "http://127.0.0.1:${ports[$((3 + i))]}" \
      --advertise-client-urls "http://127.0.0.1:${ports[$((3 + i))]}" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token bench \
      --log-level error > "$dir/e$i.log" 2>&1 &
    node_pids+=($!); pids+=($!)
  done
  for _ in $(seq 100); do
    curl -sf -X POST -d '{"key":"d2FybXVw","value":"eA=="}' "http://127.0.0.1:${ports[3]}/v3/kv/put" \
      > /dev/null 2>&1 && break
    sleep 0.2
  done
  "$load" --target etcd --endpoints "$endpoints" "${load_args[@]}"
  kill "${node_pids[@]}"; wait "${node_pids[@]}" 2> /dev/null || true
}

results=()
for r in $(seq "$rounds"); do
  results+=("$(run_verdict "$r")")
  results+=("$(run_etcd "$r")")
done

python3 - "$clients" "$duration" "$get_ratio" "$(etcd --version | head -1)" "${results[@]}" <<'PY'
import json, sys
clients, duration, get_ratio, etcd_version = sys.argv[1:5]
rows = [json.loads(r) for r in sys.argv[5:]]
def best(target):  # the round with the highest throughput, per system
    return max((r for r in rows if r["target"] == target), key=lambda r: r["throughput"])
v, e = best("verdict"), best("etcd")
print(f"3 nodes on loopback, fsync on, {clients} clients, {float(get_ratio):.0%} gets, "
      f"{duration} s measured ({etcd_version})")
print(f"{'':18}{'raft-kv (verdict)':>20}{'etcd':>14}")
print(f"{'throughput ops/s':18}{v['throughput']:>20.0f}{e['throughput']:>14.0f}")
for p in ("p50", "p90", "p99", "max"):
    print(f"{'latency ' + p + ' ms':18}{v[p + '_ms']:>20.2f}{e[p + '_ms']:>14.2f}")
print(f"{'unknown outcomes':18}{v['unknown']:>20}{e['unknown']:>14}")
print(f"ratio (raft-kv / etcd throughput): {v['throughput'] / e['throughput']:.2f}x")
PY
