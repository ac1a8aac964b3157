#!/usr/bin/env python3
# Post-link check of the lean raft-kv programs (cli/CMakeLists.txt): no member
# of the libraries they link that defines a symbol of namespace verdict::raft
# may be in the link. Such a member (the library's own app/builtin/raft_kv.cpp,
# or net/ code were it ever linked) instantiates the ORIGINAL Raft templates; linked beside
# a mutant's register.cpp, the linker would keep one copy of each inline
# function, and the "mutant" would run partly unmutated (an ODR violation
# nothing else reports). Reads the linker map's list of archive members and
# the members' symbols (nm); on failure names the member and deletes the
# program, so that the next build links it again.
import argparse
import os
import re
import subprocess
import sys


def pulled_members(map_path, archive):
    """(member, symbol that pulled it in) for each archive member in the link."""
    lines = open(map_path, encoding="utf-8", errors="replace").read().splitlines()
    out = []
    try:
        start = lines.index("Archive member included to satisfy reference by file (symbol)")
    except ValueError:
        return out
    base = os.path.basename(archive)
    pattern = re.compile(r"^(\S*" + re.escape(base) + r")\((.+?)\)\s*(.*)$")
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if line and not line.startswith(" ") and not pattern.match(line) and out:
            break  # the next section of the map
        m = pattern.match(line)
        if m:
            rest = m.group(3)
            if not rest and i + 1 < len(lines):  # a long member name: the reference wraps
                i += 1
                rest = lines[i].strip()
            # "FILE (SYMBOL)": FILE has no blanks but may be an archive member, a(b.o)
            sym = re.match(r"\S+\s+\((.*)\)\s*$", rest)
            out.append((m.group(2), sym.group(1) if sym else ""))
        i += 1
    return out


def members_symbols(archive):
    """[(member name, set of demangled defined symbols)] in archive order."""
    text = subprocess.run(["nm", "-C", "--defined-only", archive], check=True,
                          capture_output=True, text=True).stdout
    members = []
    for line in text.splitlines():
        if line.endswith(":") and not line.startswith(" ") and " " not in line.strip():
            members.append((line[:-1], set()))
        elif members and line.strip():
            parts = line.split(None, 2)
            if len(parts) == 3:
                members[-1][1].add(parts[2])
    return members


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--map", required=True)
    ap.add_argument("--archive", required=True, action="append")
    ap.add_argument("--program", required=True)
    args = ap.parse_args()
    bad = []
    for archive in args.archive:
        members = members_symbols(archive)
        for name, cause in pulled_members(args.map, archive):
            same_name = [syms for n, syms in members if n == name]
            # Several members may share a file name; the one in the link is the
            # one that defines the symbol that pulled it in.
            chosen = [syms for syms in same_name if cause in syms] or same_name
            for syms in chosen:
                raft = sorted(s for s in syms if "verdict::raft::" in s)
                if raft:
                    bad.append(f"{os.path.basename(archive)}({name}) (pulled in by {cause}) "
                               f"defines {raft[0]}")
    if bad:
        print(f"{os.path.basename(args.program)}: library objects with Raft code are "
              "in the link (two copies of the Raft templates):", file=sys.stderr)
        for b in bad:
            print(f"  {b}", file=sys.stderr)
        os.remove(args.program)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
