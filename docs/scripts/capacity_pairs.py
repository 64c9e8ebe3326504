#!/usr/bin/env python3
"""Capacity inversions in an exploration: pairs of feasible candidates equal in every parameter but one accelerator
parameter (default $gbuf) where the larger value has the higher EDP; also counted on the search alone (`edp_searched`,
the candidate's own search before the capacity repair, where it differs). Reads DIR/explore.json.

    python3 docs/scripts/capacity_pairs.py DIR [PARAM]
"""
import json, sys, itertools
d = json.load(open(sys.argv[1] + "/explore.json"))
param = sys.argv[2] if len(sys.argv) > 2 else "$gbuf"
cands = d["all"]
groups = {}
for c in cands:
    if not c.get("feasible"):
        continue
    p = {"n." + k: v for k, v in c["networkParameters"].items()}
    p.update({"a." + k: v for k, v in c["acceleratorParameters"].items()})
    g = float(p.pop("a." + param))
    m = c["metrics"]
    groups.setdefault(tuple(sorted(p.items())), []).append((g, m["edp"], m.get("edp_searched", m["edp"])))
pairs = inv = inv_searched = repaired = 0
worst = (0, None)
worst_s = (0, None)
for k, xs in groups.items():
    xs.sort()
    for (g1, e1, s1), (g2, e2, s2) in itertools.combinations(xs, 2):
        pairs += 1
        if e2 > e1 * (1 + 1e-12):
            inv += 1
            r = e2 / e1 - 1
            if r > worst[0]:
                worst = (r, (k, g1, g2))
        if s2 > s1 * (1 + 1e-12):
            inv_searched += 1
            r = s2 / s1 - 1
            if r > worst_s[0]:
                worst_s = (r, (k, g1, g2))
rep = sum(1 for c in cands if c.get("feasible") and "edp_searched" in c["metrics"])
print(f"pairs {pairs}, inversions (edp) {inv}, worst +{100*worst[0]:.2f}% {worst[1]}")
print(f"searched-only edp (edp_searched where present): inversions {inv_searched}, worst +{100*worst_s[0]:.2f}% {worst_s[1]}")
print(f"candidates repaired {rep} of {sum(1 for c in cands if c.get('feasible'))} feasible")
