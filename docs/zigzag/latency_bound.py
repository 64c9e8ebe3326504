#!/usr/bin/python3
"""A lower bound on ZigZag's own latency for ANY mapping of each layer that obeys the shipped spatial-mapping
constraints, set against ZigZag's LOMA result: whether the referee's bar (EdgeNN's mapping <= 0.95x LOMA's latency
in ZigZag's model, summed over the network) can be met at all on a hardware file.

Why it is a bound in ZigZag's model (zigzag/cost_model/cost_model.py, commit 3d12a96e, calc_overall_latency):
latency = ideal_temporal_cycle + stall_slack_comb + onloading + offloading, with stall_slack_comb >= 0 (the list of
port stalls starts with 0) and loading >= 0, so latency >= ideal_temporal_cycle = the product of the temporal loop
sizes. Each axis of the array unrolls only the layer dimension its mapping file names, at most the axis size, so
ideal_temporal_cycle >= prod_d ceil(size_d / min(size_d, axis sizes unrolling d)) (ZigZag's fractional unrolling,
e.g. K 64 on 14 PEs as 12.8 x 5, gives the same temporal count as padding). Second bound: every weight (and every
input) is in DRAM at the start and crosses DRAM's read port at least once. For a transfer with P > 1 periods of
`real` cycles each, ZigZag charges a stall of at least (real - allowed) x (P - 1) with allowed <= period and
P x period <= ideal_temporal_cycle, plus one period's `real` cycles as onloading, so latency >= P x real >= the
operand's bits / port bits; a single-period transfer (P = 1) may hide under computation only up to the computation
cycles (`cycles_surplus`), so again latency >= bits / port bits. Hence
    latency(layer) >= max(ideal_min, W bits / DRAM port bits, I bits / DRAM port bits).
One exception, found by this script's own check: where a dimension relevant to the operand is unrolled fractionally
(ResNet-18's fc, K = 1000 on 14 PEs as 13.89 x 72), ZigZag's per-period transfer under-counts the operand (LOMA's fc
on eyeriss_like: 36 periods x 1,538 cycles = 55,368 < 64,000 cycles of weights), so the DRAM bound is applied only
to operands whose relevant dimensions are all unrolled without remainder (every size divisible by, or at most, its
axis size), and the ideal bound alone elsewhere. A second quirk: ZigZag's on/offloading cycles can be slightly
negative (`reduce_balanced` lowers a single-period transfer below its minimum, e.g. -8 cycles), so a latency can
sit a few cycles under its ideal count; every costed mapping below the bound is listed under the table.

Session 10 found the DRAM term unsound for fractional unrollings of a weight dimension other than the fullest one:
ZigZag's per-period transfer truncates each fractional unrolling (f = n / ceil(n / u) wide moves floor(f) per PE), so
its latency counts only floor(f) / f of the weights' DRAM cycles (meta_prototype's 7x7 Layer23 with K unrolled 19,
18.96 wide: 291,775 cycles in ZigZag's model, under this script's 294,912; fc with K 6, 5.99 wide: 53,587 cycles
for 64,000 cycles of weights). The last column is the bound with that truncation (edp_bound.py's per-unrolling
latency: every unrolling, its temporal cycles, the weights' DRAM term scaled by floor(f) / f per fractional weight
dimension, the inputs' only where no input dimension is fractional); it holds on every mapping measured.

--whole-weights (session 11): the last column over edp_bound.py's --whole-weights class only (every weight dimension
unrolled to a whole width or the fullest factor: the mappings whose weights ZigZag's latency model moves in full,
and those both tools choose); a bound for every mapping of that class, checked by point_check.py.

usage: latency_bound.py [--whole-weights] ZIGZAG_DIR REFEREE_OUT HW [HW ...]
  REFEREE_OUT: the OUT of docs/zigzag/referee.py (its resnet18_conv.yaml and HW/latency/zigzag/summary.json;
  HW/latency/zigzag_of_edgenn/summary.json is shown too when present).
"""
import json
import math
import os
import sys
import yaml

MAPPING_FILE = {"meta_prototype": "meta_prototype_like"}


def mapping_entry(zigzag, hw):
    path = os.path.join(zigzag, "zigzag/inputs/mapping/%s.yaml" % MAPPING_FILE.get(hw, hw))
    if not os.path.exists(path):
        path = os.path.join(zigzag, "zigzag/inputs/mapping/default.yaml")
    entries = yaml.safe_load(open(path))
    return next(e for e in entries if e["name"] == "default")


def dram_read_bits(hw_doc, mem_operand):
    """Bits per cycle DRAM's ports can read `mem_operand` out (all ports allocated to it `tl`, summed)."""
    top = list(hw_doc["memories"].values())[-1]
    return sum(p["bandwidth_max"] for p in top["ports"]
               if any(a.replace(" ", "") == mem_operand + ",tl" for a in p.get("allocation", [])))


def layer_bound(layer, axes, sizes, pes, w_port, i_port):
    dims = dict(zip(layer["loop_dims"], layer["loop_sizes"]))
    unroll = {}  # layer dim -> product of the sizes of the axes that may unroll it
    mixed = False
    for axis, entries in axes.items():
        names = [e.split(",")[0].strip() for e in entries]
        if len(names) != 1:
            mixed = True
            continue
        unroll[names[0]] = unroll.get(names[0], 1) * sizes[axis]
    macs = math.prod(dims.values())
    ideal = math.prod(math.ceil(b / min(b, unroll.get(d, 1))) for d, b in dims.items())
    if mixed:  # an axis that may unroll several dimensions: only the full-array bound is claimed for it
        ideal = math.ceil(macs / pes)
    prec = layer["operand_precision"]
    w_bits = dims["K"] * dims["C"] * dims["FY"] * dims["FX"] * prec["W"]
    strides = {}
    for rel in layer["dimension_relations"]:  # ix=2*ox+1*fx
        lhs, rhs = rel.replace(" ", "").split("=")
        terms = [t.split("*") for t in rhs.split("+")]
        strides[lhs] = {d.upper(): int(c) for c, d in terms}
    def distinct(rel, o, f):  # |{s*o + d*f}|: the input rows a layer touches (a 1x1 stride-2 layer skips rows)
        return len({rel[o] * a + rel[f] * b for a in range(dims[o]) for b in range(dims[f])})
    iy, ix = distinct(strides["iy"], "OY", "FY"), distinct(strides["ix"], "OX", "FX")
    i_bits = dims["B"] * dims["C"] * iy * ix * prec["I"]
    exact = lambda rel: all(dims[d] % min(dims[d], unroll.get(d, 1)) == 0 for d in rel) and not mixed
    w_cyc = w_bits / w_port if exact(("K", "C", "FY", "FX")) else 0
    i_cyc = i_bits / i_port if exact(("B", "C", "OY", "OX", "FY", "FX")) else 0
    return ideal, w_cyc, i_cyc


def main():
    import edp_bound  # noqa: E402 (imports this module)
    import energy_bound
    if "--whole-weights" in sys.argv:  # the last column over edp_bound.py's --whole-weights class only
        edp_bound.WHOLE_WEIGHTS = True
        sys.argv.remove("--whole-weights")
    zigzag, out = sys.argv[1:3]
    layers = yaml.safe_load(open(os.path.join(out, "resnet18_conv.yaml")))
    print("| hardware | ZigZag LOMA latency | lower bound, any mapping (ideal / DRAM-bound layers) | bound / LOMA |"
          " EdgeNN's mapping / LOMA (ZigZag's model) | bar 0.95 reachable | with ZigZag's truncation / LOMA |")
    print("|---|---:|---:|---:|---:|---|---:|")
    below = []
    for hw in sys.argv[3:]:
        hw_doc = yaml.safe_load(open(os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % hw)))
        sizes = dict(zip(hw_doc["operational_array"]["dimensions"], hw_doc["operational_array"]["sizes"]))
        axes = mapping_entry(zigzag, hw)["spatial_mapping"]
        pes = math.prod(sizes.values())
        w_port, i_port = dram_read_bits(hw_doc, "I2"), dram_read_bits(hw_doc, "I1")
        loma = json.load(open(os.path.join(out, hw, "latency/zigzag/summary.json")))["layers"]
        mine_path = os.path.join(out, hw, "latency/zigzag_of_edgenn/summary.json")
        mine = json.load(open(mine_path))["layers"] if os.path.exists(mine_path) else None
        total_loma = total_bound = 0.0
        dram_bound_layers = 0
        for k, (layer, z) in enumerate(zip(layers, loma)):
            ideal, w_cyc, i_cyc = layer_bound(layer, axes, sizes, pes, w_port, i_port)
            bound = max(ideal, w_cyc, i_cyc)
            for who, l in (("LOMA", z), ("EdgeNN", mine[k] if mine else None)):
                if l is not None and l["latency"] < bound - 1e-6:
                    below.append("%s %s: %s's mapping costs %.0f cycles in ZigZag's model, %.0f below the bound"
                                 % (hw, l["layer"], who, l["latency"], bound - l["latency"]))
            if bound > ideal:
                dram_bound_layers += 1
            total_loma += z["latency"]
            total_bound += bound
        mine_ratio = "%.3f" % (sum(l["latency"] for l in mine) / total_loma) if mine else "-"
        ratio = total_bound / total_loma
        mems = [energy_bound.Memory(n, d) for n, d in hw_doc["memories"].items()]
        hw_sizes = {n: d["size"] for n, d in hw_doc["memories"].items()}
        truncated = sum(min(t for _, t in edp_bound.layer_points(
            l, axes, sizes, mems, hw_doc["operational_array"]["unit_energy"], hw_sizes, w_port, i_port))
            for l in layers) / total_loma
        print("| %s | %.0f | %.0f (%d DRAM-bound) | %.3f | %s | %s | %.3f |" % (
            hw, total_loma, total_bound, dram_bound_layers, ratio, mine_ratio, "yes" if ratio <= 0.95 else "**no**",
            truncated))
    for b in below:  # ZigZag's on/offloading terms can be negative (see the docstring): reported, never hidden
        print("\nbelow the bound: " + b)


if __name__ == "__main__":
    main()
