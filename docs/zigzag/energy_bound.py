#!/usr/bin/python3
"""A lower bound on ZigZag's own energy for ANY mapping of each layer that obeys the shipped spatial-mapping
constraints, set against ZigZag's LOMA result: whether the referee's energy bar (EdgeNN's mapping <= 0.95x LOMA's
energy in ZigZag's model, summed over the network) can be met at all on a hardware file.

ZigZag's energy (zigzag/cost_model/cost_model.py, commit 3d12a96e, calc_memory_word_access and calc_energy, run with
access_same_data_considered_as_no_access=True as its pipeline does) is the MAC energy plus, per operand, memory level
and direction, ceil(amount per period x precision / bandwidth_min) x bandwidth_min / bandwidth_max x periods x
instances x the cost of one bandwidth_max access. Every term is >= 0, and for any mapping within the constraints
(each array axis unrolls the layer dimension its mapping file names, by any factor up to the axis size; ZigZag turns a
factor f of a dimension of size n into n / ceil(n / f), its fractional unrolling) the following terms cannot be
avoided; the bound is, per layer, the smallest of their sum over every allowed unrolling:
  1. MAC energy: the layer's MACs x unit_energy.
  2. Outputs at their innermost memory: written at every cycle (ZigZag's period there is one cycle for O), the
     distinct outputs inside one instance per transfer, and read back at every cycle when that memory ever holds
     partial sums (a C/FX/FY loop iterates, or C/FX/FY is unrolled across its instances) — both at the partial-sum
     width in whole words; cycles = the product of the temporal loop counts (fixed by the unrolling).
  3. Weights and inputs read by the MACs from their innermost memory: at every cycle, except that the one operand
     whose irrelevant loops (W: B, OX, OY; I: K) sit innermost is read once per stretch of them (MAC-level
     stationarity, at most the product of all its irrelevant temporal loops); the innermost loop is irrelevant to at
     most one of the two, so the smaller of (W full + I stationary, W stationary + I full).
  4. Every weight and input crosses every memory of its chain at least once (written into each, read out of each
     towards the MACs) in every instance that needs it (instances that differ only along dimensions irrelevant to
     the operand hold copies); every output leaves every memory of its chain at least once per instance holding a
     partial sum of it and is written into the next one, at least at the final-output width; DRAM reads each weight
     and input once (inputs: the distinct rows the layer touches) and is written each final output once. Word
     rounding is dropped there (it only adds).
The script checks the bound against every costed mapping it is given (LOMA's and EdgeNN's, for every objective run)
and lists any mapping below it.

usage: energy_bound.py ZIGZAG_DIR REFEREE_OUT HW [HW ...]
  REFEREE_OUT: the OUT of docs/zigzag/referee.py (its resnet18_conv.yaml and HW/OBJ/zigzag[_of_edgenn]/summary.json).
"""
import itertools
import json
import math
import os
import sys
import yaml

MAPPING_FILE = {"meta_prototype": "meta_prototype_like"}
RELEVANT = {"W": {"K", "C", "FY", "FX", "G"}, "O": {"B", "K", "OY", "OX", "G"}, "I": {"B", "C", "G", "OY", "OX", "FY", "FX"}}
LINK = {"I1": "I", "I2": "W", "O": "O"}


def mapping_entry(zigzag, hw):
    path = os.path.join(zigzag, "zigzag/inputs/mapping/%s.yaml" % MAPPING_FILE.get(hw, hw))
    if not os.path.exists(path):
        path = os.path.join(zigzag, "zigzag/inputs/mapping/default.yaml")
    return next(e for e in yaml.safe_load(open(path)) if e["name"] == "default")


class Memory:
    def __init__(self, name, doc):
        self.name = name
        self.ops = [LINK[o] for o in doc["operands"]]
        self.served = set(doc.get("served_dimensions", []))
        reads = [p for p in doc["ports"] if p["type"] in ("read", "read_write")]
        writes = [p for p in doc["ports"] if p["type"] in ("write", "read_write")]
        self.r = (reads[0]["bandwidth_min"], reads[0]["bandwidth_max"], doc["r_cost"])
        self.w = (writes[0]["bandwidth_min"], writes[0]["bandwidth_max"], doc["w_cost"])

    @staticmethod
    def words(port, bits_per_transfer, transfers):
        """ZigZag's _calc_memory_access times the cost: whole words of bandwidth_min per transfer."""
        lo, hi, cost = port
        return math.ceil(bits_per_transfer / lo - 1e-9) * lo / hi * transfers * cost

    @staticmethod
    def bits(port, bits):
        lo, hi, cost = port
        return bits / hi * cost


def pr_size(a, sa, b, sb):
    """ZigZag's calc_pr_dimension_size on whole positions (calc_tensor_dim truncates fractional sizes)."""
    a, b = int(a), int(b)
    g = math.gcd(sa, sb)
    return a * b - max(0, b - sa // g) * (a - sb // g)


def layer_bound(layer, axes, sizes, mems, mac_pj, hw_sizes):
    dims = dict(zip(layer["loop_dims"], layer["loop_sizes"]))
    prec = layer["operand_precision"]
    strides = {}
    for rel in layer["dimension_relations"]:  # ix=2*ox+1*fx
        lhs, rhs = rel.replace(" ", "").split("=")
        terms = [t.split("*") for t in rhs.split("+")]
        strides[lhs.upper()] = {d.upper(): int(c) for c, d in terms}
    sy, dy = strides["IY"]["OY"], strides["IY"]["FY"]
    sx, dx = strides["IX"]["OX"], strides["IX"]["FX"]
    macs = math.prod(dims.values())

    def distinct(op, f):
        g = lambda d: f.get(d, 1)
        if op == "W":
            return g("K") * g("C") * g("FY") * g("FX") * g("G")
        if op == "O":
            return g("B") * g("K") * g("OY") * g("OX") * g("G")
        return g("B") * g("C") * g("G") * pr_size(g("OY"), sy, g("FY"), dy) * pr_size(g("OX"), sx, g("FX"), dx)

    def rows(o, f, s, dl):  # the input rows a layer touches (a 1x1 stride-2 layer skips rows)
        return len({s * a + dl * b for a in range(dims[o]) for b in range(dims[f])})
    sizes_op = {"W": distinct("W", dims), "O": distinct("O", dims),
                "I": dims.get("B", 1) * dims["C"] * dims.get("G", 1) * rows("OY", "FY", sy, dy) * rows("OX", "FX", sx, dx)}
    # the allowed unrollings: each axis unrolls its named dimension (absent from the layer: 1) by 1..min(axis, size)
    named = {a: e[0].split(",")[0].strip() for a, e in axes.items()}
    choices = [range(1, min(sizes[a], dims.get(named[a], 1)) + 1) for a in axes]
    best = math.inf
    for factors in itertools.product(*choices):
        per_axis = dict(zip(axes, factors))
        total = {}
        for a, f in per_axis.items():
            total[named[a]] = total.get(named[a], 1) * f
        if any(total[d] > dims.get(d, 1) for d in total):
            continue
        temporal = {d: math.ceil(n / total.get(d, 1)) for d, n in dims.items()}
        ratio = {d: dims[d] / (temporal[d] * total[d]) for d in total}  # ZigZag's fractional unrolling
        cycles = math.prod(temporal.values())

        def split(mem):
            """(spatial factors inside one instance, instances, copies of the same data per operand)"""
            inside, outside = {}, {}
            for a, f in per_axis.items():
                d = named[a]
                if a in mem.served:
                    inside[d] = inside.get(d, 1) * f
                else:
                    outside[d] = outside.get(d, 1) * f
            for d in total:
                if d in inside and d not in outside:
                    inside[d] *= ratio[d]
                elif d in outside:
                    outside[d] *= ratio[d]
            return inside, outside
        e = macs * mac_pj
        wi = {}
        spill = None  # (partial sums one instance of O's innermost memory holds, per-cycle outputs, cost of a spill)
        for op in ("W", "I", "O"):
            chain = [m for m in mems if op in m.ops]
            p = prec[op]
            for j, mem in enumerate(chain):
                inside, outside = split(mem)
                copies = math.prod(f for d, f in outside.items() if d not in RELEVANT[op])
                last = j == len(chain) - 1
                if j == 0:
                    units = round(round(math.prod(outside.values()), 3))
                    amount = round(distinct(op, inside))
                    if op == "O":
                        psums = any(temporal.get(d, 1) > 1 for d in ("C", "FX", "FY")) or \
                                any(f > 1 for d, f in outside.items() if d not in RELEVANT["O"])
                        width = p if psums else prec["O_final"]
                        e += Memory.words(mem.w, amount * width, cycles * units)
                        if psums:
                            e += Memory.words(mem.r, amount * width, cycles * units)
                        if len(chain) > 1:
                            up = chain[1]
                            capacity = hw_sizes[mem.name] // p
                            moved = cycles * units * amount * p  # every cycle's outputs, moved up and back
                            spill = (capacity, amount, Memory.bits(up.w, moved) + Memory.bits(up.r, moved))
                    else:
                        wi[op] = (Memory.words(mem.r, amount * p, cycles * units), None)
                if op == "O":
                    if not last:  # read out towards the next level at least once per holding instance
                        e += Memory.bits(mem.r, sizes_op["O"] * copies * prec["O_final"])
                    if j > 0:
                        e += Memory.bits(mem.w, sizes_op["O"] * copies * prec["O_final"])
                else:
                    if last:
                        e += Memory.bits(mem.r, sizes_op[op] * p)
                    else:
                        e += Memory.bits(mem.w, sizes_op[op] * copies * p)
                        if j > 0:
                            e += Memory.bits(mem.r, sizes_op[op] * copies * p)
        # at most one of W and I is stationary at the MAC level (its irrelevant loops innermost); those loops
        # (W: B, OX, OY; I: K) are all relevant to O, so a run of s of them needs s x the per-cycle outputs in O's
        # innermost memory, or every cycle's outputs leave it (and come back) through the next level
        def stationary(op):
            full, reads_per_cycle = wi[op]
            irrelevant = math.prod(temporal[d] for d in dims if d not in RELEVANT[op])
            if spill is None:
                return full / irrelevant
            fit = max(1, spill[0] // max(1, spill[1]))
            return min(full / min(irrelevant, fit), full / irrelevant + spill[2])
        if "W" in wi and "I" in wi:
            e += min(wi["W"][0] + stationary("I"), stationary("W") + wi["I"][0])
        else:
            e += sum(stationary(op) for op in wi)
        best = min(best, e)
    return best


def main():
    zigzag, out = sys.argv[1:3]
    layers = yaml.safe_load(open(os.path.join(out, "resnet18_conv.yaml")))
    print("| hardware | ZigZag LOMA energy (pJ) | lower bound, any mapping (pJ) | bound / LOMA | EdgeNN's mapping / LOMA"
          " (ZigZag's model) | 0.95 x LOMA |")
    print("|---|---:|---:|---:|---:|---|")
    below = []
    checked = 0
    for hw in sys.argv[3:]:
        hw_doc = yaml.safe_load(open(os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % hw)))
        sizes = dict(zip(hw_doc["operational_array"]["dimensions"], hw_doc["operational_array"]["sizes"]))
        axes = mapping_entry(zigzag, hw)["spatial_mapping"]
        mems = [Memory(n, d) for n, d in hw_doc["memories"].items()]
        mac_pj = hw_doc["operational_array"]["unit_energy"]
        hw_sizes = {n: d["size"] for n, d in hw_doc["memories"].items()}
        bounds = [layer_bound(l, axes, sizes, mems, mac_pj, hw_sizes) for l in layers]
        for obj in ("energy", "latency", "edp"):
            for who in ("zigzag", "zigzag_of_edgenn"):
                path = os.path.join(out, hw, obj, who, "summary.json")
                if not os.path.exists(path):
                    continue
                for b, l in zip(bounds, json.load(open(path))["layers"]):
                    checked += 1
                    if l["energy"] < b * (1 - 1e-9):
                        below.append("%s %s: %s's %s mapping costs %.6g pJ in ZigZag's model, bound %.6g"
                                     % (hw, l["layer"], "LOMA" if who == "zigzag" else "EdgeNN", obj, l["energy"], b))
        loma = json.load(open(os.path.join(out, hw, "energy/zigzag/summary.json")))["layers"]
        mine_path = os.path.join(out, hw, "energy/zigzag_of_edgenn/summary.json")
        mine = json.load(open(mine_path))["layers"] if os.path.exists(mine_path) else None
        total_loma = sum(l["energy"] for l in loma)
        ratio = sum(bounds) / total_loma
        mine_ratio = "%.3f" % (sum(l["energy"] for l in mine) / total_loma) if mine else "-"
        print("| %s | %.4g | %.4g | %.3f | %s | %s |" % (hw, total_loma, sum(bounds), ratio, mine_ratio,
                                                        "not excluded" if ratio <= 0.95 else "**unreachable**"))
    print("\nchecked against %d costed layers (LOMA's and EdgeNN's mappings, every objective run)" % checked)
    for b in below:
        print("below the bound: " + b)


if __name__ == "__main__":
    main()
