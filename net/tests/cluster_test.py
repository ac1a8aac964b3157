#!/usr/bin/env python3
"""Jepsen-style test of `verdict serve raft-kv` (CTest label `slow`).

Starts a 3-node cluster of processes on loopback, runs concurrent clients
(verdict-load --mixed: get, put, del, cas, cad on a few keys and values)
while a nemesis SIGKILLs and restarts nodes (the leader among them), cuts
links inside the shim (`verdict client ... cut`), makes the leader drop a
third of its answers to clients (so that clients retry requests that took
effect, which Raft's client table must apply once), throws malformed
bytes at peer and client ports, and tries forged peer handshakes (a Hello
claiming to be a node, a proof made without the cluster key, then a
RequestVote of a huge term), which every node must refuse. The clients' history, ending with a read of every
key after the cluster is healed, must be linearizable against vard
(`verdict lincheck --model vard`), so no acknowledged write may be lost.
Then a torn tail appended to a node's log must be truncated on restart, and
a log damaged in the middle must make the node refuse to serve.

With --bug NAME the nodes run one of raft-kv's seeded bugs (`verdict
models`) and the test passes only if lincheck finds the history NOT
linearizable: a check that the test can fail.

Python 3 standard library only. Exit 0 on success, 1 on failure.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


class Cluster:
    def __init__(self, verdict, workdir, n=3, bug="none"):
        self.verdict = verdict
        self.bug = bug
        self.workdir = workdir
        self.n = n
        ports = free_ports(2 * n)
        self.peer_ports = ports[:n]
        self.client_ports = ports[n:]
        self.procs = [None] * n
        self.starts = [0] * n
        self.peers = ",".join(f"127.0.0.1:{p}" for p in self.peer_ports)
        # The cluster key every node is given: 32 random bytes only we may read.
        self.key = os.path.join(workdir, "cluster.key")
        with open(os.open(self.key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            f.write(os.urandom(32))
        self.endpoints = ",".join(f"127.0.0.1:{p}" for p in self.client_ports)

    def data_dir(self, i):
        return os.path.join(self.workdir, f"node{i}")

    def log_path(self, i):
        return os.path.join(self.workdir, f"node{i}.log")

    def start(self, i):
        self.starts[i] += 1
        log = open(self.log_path(i), "a")
        log.write(f"--- start {self.starts[i]}\n")
        log.flush()
        self.procs[i] = subprocess.Popen(
            [self.verdict, "serve", "raft-kv", "--id", str(i), "--peers", self.peers,
             "--client-port", str(self.client_ports[i]), "--data-dir", self.data_dir(i),
             "--cluster-key", self.key,
             "--election-timeout-ms", "300", "--heartbeat-ms", "50", "--fault-injection",
             "--bug", self.bug],
            stdout=log, stderr=subprocess.STDOUT)

    def kill(self, i):
        self.procs[i].send_signal(signal.SIGKILL)
        self.procs[i].wait()
        self.procs[i] = None

    def alive(self, i):
        return self.procs[i] is not None and self.procs[i].poll() is None

    def stop_all(self):
        for i in range(self.n):
            if self.procs[i] is not None:
                self.procs[i].send_signal(signal.SIGKILL)
                self.procs[i].wait()
                self.procs[i] = None

    def leader(self):
        """The node whose log last said it leads the highest term, or None."""
        best = None
        for i in range(self.n):
            if not self.alive(i):
                continue
            with open(self.log_path(i)) as f:
                roles = re.findall(r"\] (leader|follower|candidate) of term (\d+)", f.read())
            if roles and roles[-1][0] == "leader":
                term = int(roles[-1][1])
                if best is None or term > best[1]:
                    best = (i, term)
        return best[0] if best else None

    def client(self, i, *args, timeout=5):
        return subprocess.run(
            [self.verdict, "client", "--endpoints", f"127.0.0.1:{self.client_ports[i]}",
             *args], capture_output=True, text=True, timeout=timeout)

    def cut(self, a, b):
        for x, y in ((a, b), (b, a)):
            if self.alive(x):
                self.client(x, "cut", str(y))

    def drop_replies(self, i, percent):
        if self.alive(i):
            self.client(i, "drop-replies", str(percent))

    def heal_all(self):
        for i in range(self.n):
            if self.alive(i):
                self.client(i, "heal")


def garbage(port, rng):
    """Connects and sends bytes that are not a valid frame stream."""
    choices = [
        bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200))),
        b"\x05\x00\x00\x00\x63\x01\x02\x03\x04",          # unknown tag
        b"\xff\xff\xff\x7f",                              # absurd length
        b"\x03\x00\x00\x00\x01\x07\x00",                  # hello, wrong version
        b"\x04\x00\x00\x00\x06\x01\x01\x09",              # request with unknown op
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    ]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(rng.choice(choices))
            time.sleep(0.05)
    except OSError:
        pass


def frame(body):
    return struct.pack("<I", len(body)) + body


def forged_handshake(cluster, rng):
    """Claims to be another node at a node's peer port without the key: a
    Hello, a made-up proof, then a RequestVote of a huge term (which, if it
    were accepted, would depose the leader)."""
    to = rng.randrange(cluster.n)
    claimed = (to + 1 + rng.randrange(cluster.n - 1)) % cluster.n
    hello = bytes([1, 2, claimed, to, cluster.n]) + os.urandom(32)  # tag, version, from, to, nodes, nonce
    proof = bytes([11]) + os.urandom(32)
    vote = bytes([2, 0xa0, 0x8d, 0x06, 0, 0])  # RequestVote, term 100000, last 0/0
    try:
        with socket.create_connection(("127.0.0.1", cluster.peer_ports[to]), timeout=1) as s:
            s.sendall(frame(hello))
            s.recv(4096)  # the node's challenge
            s.sendall(frame(proof) + frame(vote))
            time.sleep(0.05)
    except OSError:
        pass


def check(cond, message):
    if not cond:
        print("FAIL:", message)
        sys.exit(1)
    print("ok:", message)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--verdict", required=True)
    ap.add_argument("--load", required=True)
    ap.add_argument("--duration", type=float, default=40)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--bug", default="none", help="a seeded bug the test must catch")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens under CTest
    rng = random.Random(args.seed)
    print(f"seed {args.seed}")
    workdir = tempfile.mkdtemp(prefix="verdict-cluster-")
    cluster = Cluster(args.verdict, workdir, bug=args.bug)
    ok = False
    try:
        for i in range(cluster.n):
            cluster.start(i)
        deadline = time.time() + 20
        while time.time() < deadline:
            r = subprocess.run([args.verdict, "client", "--endpoints", cluster.endpoints,
                                "--timeout-ms", "2000", "put", "ready", "yes"],
                               capture_output=True, text=True)
            if r.returncode == 0:
                break
        check(r.returncode == 0, "the cluster elects a leader and answers a put")

        history = os.path.join(workdir, "history.json")
        load = subprocess.Popen(
            [args.load, "--target", "verdict", "--endpoints", cluster.endpoints,
             "--clients", "6", "--mixed", "--keys", "4", "--duration", str(args.duration),
             "--warmup", "0", "--op-timeout-ms", "3000", "--attempt-timeout-ms", "500",
             "--history", history, "--seed", str(args.seed)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

        # The nemesis: one fault at a time, so a majority can make progress
        # between faults; everything healed a few seconds before the load ends.
        # Every action once per round, in a random order, so that a run of
        # this length always includes each of them.
        kills = leader_kills = cuts = garbage_sent = reply_drops = forged = 0
        end = time.time() + args.duration - 6
        schedule = []

        def leader_or_any():
            leader = cluster.leader()
            return leader if leader is not None else rng.randrange(cluster.n)

        while time.time() < end:
            time.sleep(rng.uniform(1.0, 2.5))
            if not schedule:
                schedule = ["kill", "kill-leader", "cut", "isolate", "garbage", "drop-replies",
                            "forge"]
                rng.shuffle(schedule)
            action = schedule.pop()
            if action in ("kill", "kill-leader"):
                victim = cluster.leader() if action == "kill-leader" else None
                if victim is None:
                    victim = rng.randrange(cluster.n)
                else:
                    leader_kills += 1
                cluster.kill(victim)
                kills += 1
                time.sleep(rng.uniform(0.5, 2.0))
                cluster.start(victim)
            elif action == "cut":
                a, b = rng.sample(range(cluster.n), 2)
                cluster.cut(a, b)
                cuts += 1
                time.sleep(rng.uniform(0.5, 2.0))
                cluster.heal_all()
            elif action == "isolate":
                victim = leader_or_any()
                for other in range(cluster.n):
                    if other != victim:
                        cluster.cut(victim, other)
                cuts += 1
                time.sleep(rng.uniform(0.5, 2.0))
                cluster.heal_all()
            elif action == "drop-replies":
                victim = leader_or_any()
                cluster.drop_replies(victim, 30)
                reply_drops += 1
                time.sleep(rng.uniform(1.0, 2.0))
                cluster.drop_replies(victim, 0)
            elif action == "forge":
                for _ in range(3):
                    forged_handshake(cluster, rng)
                    forged += 1
            else:
                for _ in range(5):
                    garbage(rng.choice(cluster.peer_ports + cluster.client_ports), rng)
                    garbage_sent += 1
            down = [i for i in range(cluster.n) if not cluster.alive(i)]
            if down:
                check(False, f"node(s) {down} stopped running after {action}")
        cluster.heal_all()
        out, _ = load.communicate(timeout=args.duration + 120)
        print(out.strip())
        check(load.returncode == 0, "the load finished and every final read was answered")
        print(f"nemesis: {kills} kills ({leader_kills} of the leader), {cuts} link cuts, "
              f"{reply_drops} periods of dropped replies, {garbage_sent} malformed connections, "
              f"{forged} forged handshakes; no node stopped on its own")
        check(kills >= 2 and leader_kills >= 1, "nodes, the leader among them, were killed and restarted")
        refused = 0
        for i in range(cluster.n):
            with open(cluster.log_path(i)) as f:
                text = f.read()
            refused += text.count("without proving the cluster key")
            check("term 100000" not in text, f"node {i} never reached a forged term")
        check(forged >= 3 and refused >= 1,
              f"forged handshakes refused and logged ({refused} lines for {forged} tries)")

        with open(history) as f:
            events = json.load(f)["events"]
        oks = sum(1 for e in events if e["type"] == "ok")
        infos = sum(1 for e in events if e["type"] == "info")
        print(f"history: {len(events)} events, {oks} ok, {infos} unknown")
        check(oks >= 200, "the clients completed a few hundred operations")
        recovered = 0
        for i in range(cluster.n):
            with open(cluster.log_path(i)) as f:
                recovered += len(re.findall(r"recovered: term \d+, log [1-9]\d* entries", f.read()))
        check(recovered >= 1, "a killed node recovered its log from disk")

        r = subprocess.run([args.verdict, "lincheck", "--model", "vard", "--timeout", "120", history],
                           capture_output=True, text=True)
        print(r.stdout.strip()[:2000], r.stderr.strip()[:2000])
        if args.bug != "none":
            check(r.returncode == 1, f"the history with bug {args.bug} is not linearizable")
            ok = True
            return
        check(r.returncode == 0, "the history is linearizable (vard): no acknowledged write lost")

        # Torn tail: garbage after the last record is cut off on restart.
        cluster.kill(0)
        raft_log = os.path.join(cluster.data_dir(0), "raft.log")
        size = os.path.getsize(raft_log)
        with open(raft_log, "ab") as f:
            f.write(b"\x40\x00\x00\x00\x12\x34\x56\x78torn")
        cluster.start(0)
        time.sleep(1.0)
        check(cluster.alive(0), "a node with a torn tail restarts")
        with open(cluster.log_path(0)) as f:
            check("torn tail of 12 bytes truncated" in f.read(), "the torn tail is reported and cut")
        check(os.path.getsize(raft_log) >= size, "nothing before the torn tail was lost")

        # Damage in the middle: reported, not served.
        cluster.kill(0)
        with open(raft_log, "r+b") as f:  # inside the first record: after the 64-byte header
            f.seek(80)
            byte = f.read(1)
            f.seek(80)
            f.write(bytes([byte[0] ^ 0x01]))
        cluster.start(0)
        code = cluster.procs[0].wait(timeout=10)
        cluster.procs[0] = None
        with open(cluster.log_path(0)) as f:
            text = f.read()
        check(code == 2 and "corrupt data directory" in text, "a damaged log is reported, not served")
        ok = True
    finally:
        cluster.stop_all()
        if ok and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"work directory kept: {workdir}")


if __name__ == "__main__":
    main()
