#!/usr/bin/python3
"""Checks edp_bound.py's per-unrolling points (energy bound Eb(u), latency bound Lb(u)) against mappings ZigZag
costs, one unrolling at a time: for one layer of a referee run, variants of EdgeNN's and LOMA's latency and EDP
mappings (loops swapped, split, merged) and random mappings (random unrollings within the shipped constraints, whole,
fractional and the fullest; random factorizations and orders) are costed by ZigZag in one run, and each one's energy
and latency are compared with the point of its own unrolling. A mapping under its point's latency (beyond ZigZag's
few cycles of negative on/offloading, TOLERANCE) or energy (beyond one DRAM word per layer, ZigZag's truncated word
count) is listed, with whether its unrolling is in edp_bound.py's --whole-weights class: a bound that a mapping of its
class beats is a bug. A diagnostic, not a search.

usage: point_check.py [--coupled-points] ZIGZAG_DIR REFEREE_OUT HW LAYER_ID COUNT SEED WORK_DIR
"""
import json
import math
import os
import random
import subprocess
import sys
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import coupled_check as cc  # noqa: E402
import edp_bound  # noqa: E402
import energy_bound as eb  # noqa: E402
import latency_bound as lb  # noqa: E402

TOLERANCE = 16  # cycles: ZigZag's on/offloading can be a few cycles negative (latency_bound.py)
ENERGY_SLACK = 1.2e3
BATCH = 10  # pJ: one or two 64-bit DRAM words, which ZigZag's fractional word count truncates (fc)


def main():
    args = sys.argv[1:]
    if "--coupled-points" in args:
        edp_bound.COUPLED_POINTS = True
        args.remove("--coupled-points")
    zigzag, out, hw, layer_id, count, seed, work = args[:7]
    layer_id, count, rng = int(layer_id), int(count), random.Random(int(seed))
    os.makedirs(work, exist_ok=True)
    layer = next(l for l in yaml.safe_load(open(os.path.join(out, "resnet18_conv.yaml"))) if l["id"] == layer_id)
    dims = dict(zip(layer["loop_dims"], layer["loop_sizes"]))
    doc = yaml.safe_load(open(os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % hw)))
    sizes = dict(zip(doc["operational_array"]["dimensions"], doc["operational_array"]["sizes"]))
    entry = eb.mapping_entry(zigzag, hw)
    axes = entry["spatial_mapping"]
    named = {a: e[0].split(",")[0].strip() for a, e in axes.items()}
    widest = edp_bound.widest_of(axes, sizes)
    name = "example_name_of_layer0" if layer_id == 0 else "Layer%d" % layer_id
    seeds = []
    for obj in ("latency", "edp"):
        for who in ("edgenn", "zigzag"):
            m = next(e for e in yaml.safe_load(open(os.path.join(out, hw, obj, who, "mapping.yaml")))
                     if e["name"] == name)
            unroll = {a: int(str(v[0]).split(",")[1]) for a, v in m["spatial_mapping"].items()}
            seeds.append((unroll, [[str(d), int(n)] for d, n in m["temporal_ordering"]]))

    def temporal_of(unroll):
        t = dict(dims)
        for a, f in unroll.items():
            d = named[a]
            if d in t:
                t[d] = math.ceil(dims[d] / min(f, dims[d]))
        return {d: n for d, n in t.items() if n > 1}
    variants = []
    while len(variants) < count:
        kind = rng.random()
        unroll, loops = seeds[rng.randrange(len(seeds))]
        unroll = dict(unroll)
        if kind < 0.4:
            loops = cc.perturb(rng, loops)
        else:
            if kind < 0.7:  # another factor on one axis
                a = rng.choice(list(axes))
                unroll[a] = rng.randint(1, min(sizes[a], dims.get(named[a], 1)))
            else:
                unroll = {a: rng.randint(1, min(sizes[a], dims.get(named[a], 1))) for a in axes}
            loops = cc.random_loops(rng, temporal_of(unroll))
        variants.append((unroll, loops))
    hw_yaml = os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % hw)
    env = dict(os.environ, ZZSTUBS=os.path.join(HERE, "stubs"), ZIGZAG=zigzag)
    costed, failed = {}, 0
    batches = [list(range(first, min(first + BATCH, len(variants)))) for first in range(0, len(variants), BATCH)]
    while batches:  # in batches; a refused batch (LOMA's reduce_static_fps rejects some orders) one by one
        batch = batches.pop(0)
        workload, mapping = [], []
        for i in batch:
            unroll, loops = variants[i]
            workload.append(dict(layer, id=1000 + i, operand_source={"I": 1000 + i, "W": 1000 + i}))
            mapping.append({"name": "Layer%d" % (1000 + i),
                            "spatial_mapping": {a: ["%s, %d" % (named[a], f)] for a, f in unroll.items()},
                            "temporal_ordering": loops, "memory_operand_links": entry["memory_operand_links"]})
        mapping.append({"name": "default", "spatial_mapping": axes,
                        "memory_operand_links": entry["memory_operand_links"]})
        yaml.safe_dump(workload, open(os.path.join(work, "workload.yaml"), "w"), sort_keys=False)
        yaml.safe_dump(mapping, open(os.path.join(work, "mapping.yaml"), "w"), sort_keys=False)
        run = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "run_zigzag.py"),
                              os.path.join(work, "workload.yaml"), hw_yaml, os.path.join(work, "mapping.yaml"),
                              "latency", os.path.join(work, "zz")], env=env, cwd=zigzag, capture_output=True)
        if run.returncode != 0:
            if len(batch) > 1:
                batches = [[i] for i in batch] + batches
            else:
                failed += 1
            continue
        costed.update({l["layer"]: l for l in json.load(open(os.path.join(work, "zz", "summary.json")))["layers"]})
    mems = [eb.Memory(n, d) for n, d in doc["memories"].items()]
    hw_sizes = {n: d["size"] for n, d in doc["memories"].items()}
    w_port, i_port = lb.dram_read_bits(doc, "I2"), lb.dram_read_bits(doc, "I1")
    points = {}  # the layer's points keyed by the total unrolling per dimension

    def keep(total, ratio, temporal, e, lat):
        points[tuple(sorted((d, f) for d, f in total.items() if f > 1))] = (e, lat)
    edp_bound.layer_points(layer, axes, sizes, mems, doc["operational_array"]["unit_energy"], hw_sizes, w_port,
                           i_port, record=keep)
    rows, bad, within = [], [], []
    for i, (unroll, loops) in enumerate(variants):
        l = costed.get("Layer%d" % (1000 + i))
        if l is None:
            continue
        total = {}
        for a, f in unroll.items():
            if named[a] in dims:
                total[named[a]] = total.get(named[a], 1) * min(f, dims[named[a]])
        key = tuple(sorted((d, f) for d, f in total.items() if f > 1))
        e, lat = points[key]
        inside = edp_bound.mapping_in_class(layer, widest, l["spatial"])
        rows.append((l["latency"] / lat, l["energy"] / e, inside, unroll, l["latency"], lat, l["energy"], e))
        if l["latency"] < lat - TOLERANCE or l["energy"] < e - ENERGY_SLACK:
            bad.append(rows[-1])
        elif l["latency"] < lat or l["energy"] < e * (1 - 1e-9):
            within.append(rows[-1])
    ins = [r for r in rows if r[2]]
    print("%s layer %d: %d mappings costed by ZigZag (%d in the --whole-weights class), %d unrollings; latency / its "
          "point: min %.4f (in class %.4f); energy / its point: min %.4f; %d under their point; %d under it by no more "
          "than the tolerances; %d ZigZag refused"
          % (hw, layer_id, len(rows), len(ins), len({tuple(sorted(r[3].items())) for r in rows}),
             min(r[0] for r in rows), min((r[0] for r in ins), default=float("nan")), min(r[1] for r in rows),
             len(bad), len(within), failed))
    for r in sorted(rows)[:3] + bad + within:
        print("  L/Lb %.4f  E/Eb %.4f  in class %s  %s  L %.0f Lb %.0f  E %.6g Eb %.6g" % r)


if __name__ == "__main__":
    main()
