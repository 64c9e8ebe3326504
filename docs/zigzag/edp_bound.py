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

--whole-weights (session 11): the class of mappings whose weight dimensions (K, C, FX, FY, G) are each unrolled to a
whole width f = n / ceil(n / u) (a divisor u, or any u for which ceil(n / u) divides n) or to the fullest factor the
axes allow (what LOMA and EdgeNN's search take first); every other dimension (OX, OY, B) any factor. Why: ZigZag costs
latency on an integer copy of the spatial mapping (spatial_mapping_conversion.py, generate_limited_user_spatial_mapping
with allow_decimal_sm_loop_size=False: int(f)), so a fractional weight unrolling moves int(f) of f weights per PE and
period: meta_prototype's Layer23 with K unrolled 19 (18.96 wide, 27 iterations) holds 2,239,488 weights at DRAM in the
latency model (data_elem_per_level of mapping_int) for the layer's 2,359,296 (the energy model, on the fractional
mapping, has them all). That is physically wrong: every weight crosses the 64-bit DRAM port at least once, 294,912
cycles, whatever the unrolling. For the class, the DRAM term of every unrolling but the fullest is exact; the fullest
keeps its floor(f) / f scaling, which every costed mapping respects. point_check.py checks the points against mappings
ZigZag costs.
--coupled-points: every unrolling's point takes energy_bound.py --coupled's bound of that unrolling (slow: minutes).

usage: edp_bound.py [--faithful] [--coupled] [--registers] [--whole-weights] [--coupled-points] ZIGZAG_DIR REFEREE_OUT
    HW [HW ...]
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
WHOLE_WEIGHTS = False  # --whole-weights: only unrollings whose weight dimensions ZigZag's latency model keeps whole
COUPLED_POINTS = False  # --coupled-points: every unrolling's point takes energy_bound.py --coupled's energy
I_REL = ("B", "C", "G", "OY", "OX", "FY", "FX")


def widest_of(axes, sizes):
    """Layer dim -> the largest factor the axes naming it allow (the fullest unrolling)."""
    widest = {}
    for a, e in axes.items():
        d = e[0].split(",")[0].strip()
        widest[d] = widest.get(d, 1) * sizes[a]
    return widest


def in_class(dims, widest, total, ratio):
    """--whole-weights: every weight dimension unrolled to a whole width f = n / ceil(n / u) (ZigZag's latency model
    moves int(f) weights per PE and period, spatial_mapping_conversion.py's integer mapping), or to the fullest
    factor its axes allow (LOMA's and EdgeNN's first choice; there the DRAM term keeps the truncation)."""
    for d in W_REL:
        if d not in total or ratio[d] >= 1:
            continue
        f = total[d] * ratio[d]
        if abs(f - round(f)) > 1e-9 and total[d] != min(widest.get(d, 1), dims[d]):
            return False
    return True


def spatial_of(text):
    """Layer dim -> ZigZag's (fractional) width from a summary.json 'spatial' string (the W entry: every unrolled
    dimension appears there once per level)."""
    import re
    w = text.split("W: ")[1].split("]], ")[0] if "W: " in text else text
    out = {}
    for d, f in re.findall(r"\((\w+), ([0-9.]+)\)", w):
        out[d] = out.get(d, 1.0) * float(f)
    return out


def mapping_in_class(layer, widest, text):
    """Whether a costed mapping (its summary.json 'spatial' string) is in the --whole-weights class."""
    dims = dict(zip(layer["loop_dims"], layer["loop_sizes"]))
    for d, f in spatial_of(text).items():
        if d not in W_REL or abs(f - round(f)) <= 1e-6:
            continue
        fullest = min(widest.get(d, 1), dims[d])
        if abs(f - dims[d] / math.ceil(dims[d] / fullest)) > 1e-6:
            return False
    return True


def layer_points(layer, axes, sizes, mems, mac_pj, hw_sizes, w_port, i_port, record=None):
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
    widest = widest_of(axes, sizes)

    def each(total, ratio, temporal, e):
        exact = lambda rel: all(ratio.get(d, 1) == 1 for d in rel)
        # ZigZag's per-period transfer truncates a fractional unrolling (K = 1000 over 32 PEs as 31.25 wide moves
        # 31 per PE column and period): the weights' DRAM term is scaled by floor(f) / f per fractional dimension
        kept = math.prod(math.floor(total[d] * ratio[d] + 1e-9) / (total[d] * ratio[d])
                         for d in W_REL if d in total and ratio[d] < 1)
        if WHOLE_WEIGHTS and not in_class(dims, widest, total, ratio):
            return  # outside the class: ZigZag's latency moves floor(f) of f weights per PE (see the usage)
        cycles = math.prod(temporal.values())
        lat = max(cycles, w_bits / w_port * kept, i_bits / i_port if exact(I_REL) else 0)
        points.append((e, lat))
        if record is not None:  # point_check.py: the point of each unrolling
            record(total, ratio, temporal, e, lat)
    coupled = eb.COUPLED
    eb.COUPLED = COUPLED_POINTS  # else the plain bound per unrolling; --coupled enters through least_energy()
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
    global WHOLE_WEIGHTS, COUPLED_POINTS
    for flag in ("--faithful", "--coupled", "--registers"):
        if flag in args:
            setattr(eb, flag[2:].upper(), True)
            args.remove(flag)
    if "--whole-weights" in args:
        WHOLE_WEIGHTS = True
        args.remove("--whole-weights")
    if "--coupled-points" in args:
        COUPLED_POINTS = True
        args.remove("--coupled-points")
    zigzag, out = args[:2]
    layers = yaml.safe_load(open(os.path.join(out, "resnet18_conv.yaml")))
    print("| hardware | LOMA's EDP mappings: E, L, EDP | min E bound x min L bound / LOMA's EDP | joint bound / LOMA's"
          " EDP | min E bound x latency_bound.py / LOMA's EDP | EdgeNN / LOMA (EDP run) | 0.95x LOMA (first two) |")
    print("|---|---|---:|---:|---:|---:|---|")
    notes, checked, outside = [], 0, []
    for hw in args[2:]:
        doc = yaml.safe_load(open(os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % hw)))
        sizes = dict(zip(doc["operational_array"]["dimensions"], doc["operational_array"]["sizes"]))
        axes = eb.mapping_entry(zigzag, hw)["spatial_mapping"]
        mems = [eb.Memory(n, d) for n, d in doc["memories"].items()]
        hw_sizes = {n: d["size"] for n, d in doc["memories"].items()}
        w_port, i_port = lb.dram_read_bits(doc, "I2"), lb.dram_read_bits(doc, "I1")
        widest = widest_of(axes, sizes)
        sets = [layer_points(l, axes, sizes, mems, doc["operational_array"]["unit_energy"], hw_sizes, w_port, i_port)
                for l in layers]
        for obj in ("energy", "latency", "edp"):
            for who in ("zigzag", "zigzag_of_edgenn"):
                path = os.path.join(out, hw, obj, who, "summary.json")
                if not os.path.exists(path):
                    continue
                for layer, pts, l in zip(layers, sets, json.load(open(path))["layers"]):
                    if WHOLE_WEIGHTS and not mapping_in_class(layer, widest, l["spatial"]):
                        outside.append("%s %s %s %s" % (hw, l["layer"], obj, who))
                        continue
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
    if outside:
        print("outside the --whole-weights class (a fractional weight unrolling that is not the fullest), not "
              "checked: %d: %s" % (len(outside), ", ".join(outside)))
    for n in notes:
        print("not dominating: " + n)


if __name__ == "__main__":
    main()
