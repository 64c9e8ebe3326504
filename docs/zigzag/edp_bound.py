#!/usr/bin/python3
"""A lower bound on ZigZag's network EDP for ANY mappings of the layers that obey the shipped spatial-mapping
constraints, set against LOMA's: whether the referee's EDP bar (EdgeNN's mappings <= 0.95x LOMA's, in ZigZag's model)
can be met at all on a hardware file.

What is bounded: referee.py sums energy and latency over the layers first and multiplies the sums,
EDP = (sum_l E_l) x (sum_l L_l) (zigzag_totals, then t["edp"] = energy x latency), for both tools' mapping sets.

Per layer and per allowed unrolling u (every factor up to each axis, as energy_bound.py without flags: ZigZag's
fractional unrolling and its truncated window counts included), energy_bound.py gives Eb(u) <= E of every mapping with
that unrolling, and latency_bound.py's argument gives Lb(u) <= L: the ideal temporal count prod_d ceil(size_d / u_d),
and every weight (input) crossing DRAM's read port, W bits / port bits, applied only when every dimension relevant to
the operand is unrolled without remainder (where one is fractional ZigZag under-counts the per-period transfer; see
latency_bound.py). So every layer's (E_l, L_l) dominates some point (Eb(u), Lb(u)) of its own set P_l, and

    EDP >= min over one point p_l of every P_l of (sum_l Eb_l) x (sum_l Lb_l).

That minimum is computed exactly: x*y is quasiconcave on the positive quadrant ({xy >= c} is convex), so over the
convex hull of the Minkowski sum P_1 + ... + P_n it is smallest at a vertex, and every vertex of that hull is a sum of
vertices of the P_l's hulls, i.e. an attainable choice; the hull's lower-left chain is the sum of the layers' chains,
merged by slope. The product of the two separate bounds (sum min Eb) x (sum min Lb) is printed too: it is smaller
whenever a layer's cheapest unrolling in energy is not its fastest one (edge_tpu_like: ZigZag's truncated OX/OY window
counts make an unrolling of 3 the cheapest in energy, at 1.84x the cycles).

The script checks, for every costed mapping it is given (LOMA's and EdgeNN's, every objective run), that its
(energy, latency) dominates a point of its layer's set, and lists any that does not; two ZigZag quirks are known to
put single layers a little under the separate bounds (one 64-bit DRAM word on fc, truncated; on/offloading a few
cycles negative), and they are listed with their size.

usage: edp_bound.py [--faithful] [--coupled] ZIGZAG_DIR REFEREE_OUT HW [HW ...]
  --faithful: the unrollings of energy_bound.py --faithful (the per-unrolling points and the energies);
  --coupled: the separate bound uses energy_bound.py --coupled's per-layer energies (the joint one the plain points);
  REFEREE_OUT: the OUT of docs/zigzag/referee.py (resnet18_conv.yaml, HW/edp/zigzag/summary.json for LOMA's EDP and
  every HW/OBJ/zigzag[_of_edgenn]/summary.json present, for the check).
"""
import json
import math
import os
import sys
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import energy_bound as eb  # noqa: E402
import latency_bound as lb  # noqa: E402

W_REL = ("K", "C", "FY", "FX", "G")
I_REL = ("B", "C", "G", "OY", "OX", "FY", "FX")


def layer_points(layer, axes, sizes, mems, mac_pj, hw_sizes, w_port, i_port):
    """(Eb(u), Lb(u)) for every allowed unrolling u of one layer."""
    dims = dict(zip(layer["loop_dims"], layer["loop_sizes"]))
    prec = layer["operand_precision"]
    w_bits = dims["K"] * dims["C"] * dims["FY"] * dims["FX"] * dims.get("G", 1) * prec["W"]
    strides = {}
    for rel in layer["dimension_relations"]:
        lhs, rhs = rel.replace(" ", "").split("=")
        strides[lhs.upper()] = {d.upper(): int(c) for c, d in (t.split("*") for t in rhs.split("+"))}
    rows = lambda rel, o, f: len({rel[o] * a + rel[f] * b for a in range(dims[o]) for b in range(dims[f])})
    i_bits = dims.get("B", 1) * dims["C"] * dims.get("G", 1) * rows(strides["IY"], "OY", "FY") * \
        rows(strides["IX"], "OX", "FX") * prec["I"]
    points = []

    def each(total, ratio, temporal, e):
        exact = lambda rel: all(ratio.get(d, 1) == 1 for d in rel)
        # ZigZag's per-period transfer truncates a fractional unrolling (K = 1000 over 32 PEs as 31.25 wide moves
        # 31 per PE column and period): the weights' DRAM term is scaled by floor(f) / f per fractional dimension
        kept = math.prod(math.floor(total[d] * ratio[d] + 1e-9) / (total[d] * ratio[d])
                         for d in W_REL if d in total and ratio[d] < 1)
        cycles = math.prod(temporal.values())
        lat = max(cycles, w_bits / w_port * kept, i_bits / i_port if exact(I_REL) else 0)
        points.append((e, lat))
    coupled = eb.COUPLED
    eb.COUPLED = False  # the per-unrolling points use the plain bound; --coupled enters through least_energy()
    try:
        eb.layer_bound(layer, axes, sizes, mems, mac_pj, hw_sizes, each)
    finally:
        eb.COUPLED = coupled
    return points


def chain(points):
    """The lower-left convex chain of a point set, from its least-energy end to its least-latency end."""
    pts = sorted(set(points))
    out = []
    for p in pts:
        if out and p[1] >= out[-1][1]:
            continue  # dominated: more energy, no less latency
        while len(out) >= 2:
            (x1, y1), (x2, y2) = out[-2], out[-1]
            if (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1) <= 0:  # out[-1] not strictly below the segment
                out.pop()
            else:
                break
        out.append(p)
    return out


def network_min(chains):
    """min over one point per layer of (sum E) x (sum L): at a vertex of the Minkowski sum's lower-left chain."""
    x = sum(c[0][0] for c in chains)
    y = sum(c[0][1] for c in chains)
    edges = []
    for c in chains:
        for (x1, y1), (x2, y2) in zip(c, c[1:]):
            edges.append(((y2 - y1) / (x2 - x1), x2 - x1, y2 - y1))
    edges.sort()  # steepest descent in latency per energy first: the sum's chain is convex
    best = x * y
    for _, dx, dy in edges:
        x, y = x + dx, y + dy
        best = min(best, x * y)
    return best


def main():
    args = sys.argv[1:]
    for flag in ("--faithful", "--coupled"):
        if flag in args:
            setattr(eb, flag[2:].upper(), True)
            args.remove(flag)
    zigzag, out = args[:2]
    layers = yaml.safe_load(open(os.path.join(out, "resnet18_conv.yaml")))
    print("| hardware | LOMA's EDP mappings: E, L, EDP | min E bound x min L bound / LOMA's EDP | joint bound / LOMA's"
          " EDP | min E bound x latency_bound.py / LOMA's EDP | EdgeNN / LOMA (EDP run) | 0.95x LOMA (first two) |")
    print("|---|---|---:|---:|---:|---:|---|")
    notes, checked = [], 0
    for hw in args[2:]:
        doc = yaml.safe_load(open(os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % hw)))
        sizes = dict(zip(doc["operational_array"]["dimensions"], doc["operational_array"]["sizes"]))
        axes = eb.mapping_entry(zigzag, hw)["spatial_mapping"]
        mems = [eb.Memory(n, d) for n, d in doc["memories"].items()]
        hw_sizes = {n: d["size"] for n, d in doc["memories"].items()}
        w_port, i_port = lb.dram_read_bits(doc, "I2"), lb.dram_read_bits(doc, "I1")
        sets = [layer_points(l, axes, sizes, mems, doc["operational_array"]["unit_energy"], hw_sizes, w_port, i_port)
                for l in layers]
        for obj in ("energy", "latency", "edp"):
            for who in ("zigzag", "zigzag_of_edgenn"):
                path = os.path.join(out, hw, obj, who, "summary.json")
                if not os.path.exists(path):
                    continue
                for pts, l in zip(sets, json.load(open(path))["layers"]):
                    checked += 1
                    if any(l["energy"] >= e * (1 - 1e-9) and l["latency"] >= t - 1e-6 for e, t in pts):
                        continue
                    de = min(e for e, _ in pts) - l["energy"]
                    dl = min(t for e, t in pts if l["energy"] >= e * (1 - 1e-9)) - l["latency"] \
                        if any(l["energy"] >= e * (1 - 1e-9) for e, _ in pts) else float("nan")
                    notes.append("%s %s, %s's %s mapping (E %.6g pJ, L %.0f): dominates no point; %.3g pJ under the "
                                 "least energy bound, %.0f cycles under the least latency bound of the unrollings its "
                                 "energy allows" % (hw, l["layer"], "LOMA" if who == "zigzag" else "EdgeNN", obj,
                                                    l["energy"], l["latency"], de, dl))
        loma = json.load(open(os.path.join(out, hw, "edp/zigzag/summary.json")))["layers"]
        le, ll = sum(l["energy"] for l in loma), sum(l["latency"] for l in loma)
        mine_path = os.path.join(out, hw, "edp/zigzag_of_edgenn/summary.json")
        mine_ratio = "-"
        if os.path.exists(mine_path):
            mine = json.load(open(mine_path))["layers"]
            mine_ratio = "%.3f" % (sum(l["energy"] for l in mine) * sum(l["latency"] for l in mine) / (le * ll))
        energies = [eb.layer_bound(l, axes, sizes, mems, doc["operational_array"]["unit_energy"], hw_sizes)
                    for l in layers] if eb.COUPLED else [min(e for e, _ in p) for p in sets]
        separate = sum(energies) * sum(min(t for _, t in p) for p in sets) / (le * ll)
        joint = network_min([chain(p) for p in sets]) / (le * ll)
        bound = max(separate, joint)
        pes = math.prod(sizes.values())
        with_lb = sum(energies) * sum(max(lb.layer_bound(l, axes, sizes, pes, w_port, i_port)) for l in layers) / (le * ll)
        print("| %s | %.4g pJ, %.0f, %.4g | %.3f | %.3f | %.3f | %s | %s |" % (
            hw, le, ll, le * ll, separate, joint, with_lb, mine_ratio,
            "not excluded" if bound <= 0.95 else "**unreachable**"))
        sys.stdout.flush()
    print("\nchecked against %d costed layers (LOMA's and EdgeNN's mappings, every objective run)" % checked)
    for n in notes:
        print("not dominating: " + n)


if __name__ == "__main__":
    main()
