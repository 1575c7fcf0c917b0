#!/usr/bin/env python3
"""Import cycles among the modules of a crate.

Reads every `crate::a::b` path in `<crate>/src`, maps each file to its
module (`io/routing/table.rs` is `io::routing`, the unit that owns it), and
prints the strongly connected components of more than one module: each is
an import cycle. A child module's `super::` uses are not counted.

    python3 scripts/module-cycles.py neo-runtime [depth]
"""
import os
import re
import sys

crate = sys.argv[1] if len(sys.argv) > 1 else "neo-runtime"
depth = int(sys.argv[2]) if len(sys.argv) > 2 else 2
src = os.path.join(crate, "src")


def module_of(path):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return "::".join(rel[:depth]) or "crate"


edges = {}
for root, _, files in os.walk(src):
    for name in files:
        if not name.endswith(".rs"):
            continue
        path = os.path.join(root, name)
        here = module_of(path)
        text = open(path, encoding="utf-8").read()
        text = text.split("#[cfg(test)]")[0]
        # Doc comments link to items without depending on their module.
        text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))
        for match in re.finditer(r"crate::((?:[a-z_][a-z0-9_]*)(?:::[a-z_][a-z0-9_]*)*)", text):
            parts = match.group(1).split("::")
            target = "::".join(parts[:depth])
            # A path into a module deeper than `depth` names its parent.
            while target and not os.path.exists(os.path.join(src, *target.split("::"))) and not os.path.exists(os.path.join(src, *target.split("::")) + ".rs"):
                target = "::".join(target.split("::")[:-1])
            if target and target != here and not here.startswith(target + "::") and not target.startswith(here + "::"):
                edges.setdefault(here, set()).add(target)

index, low, stack, on, sccs = {}, {}, [], set(), []


def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        scc = []
        while True:
            w = stack.pop()
            on.discard(w)
            scc.append(w)
            if w == v:
                break
        if len(scc) > 1:
            sccs.append(sorted(scc))


for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
    if v not in index:
        visit(v)
print(f"{crate}: {len(set(edges))} modules with imports, {len(sccs)} import cycle(s)")
for scc in sccs:
    print("  cycle: " + " <-> ".join(scc))
