#!/usr/bin/python3
"""Checks energy_bound.py --coupled against mappings ZigZag costs, one unrolling at a time: for one layer of a referee
run, variants of EdgeNN's and LOMA's energy mappings (loops swapped, split, merged; the K unrolling changed) and random
mappings (random unrolling within the shipped constraints, random factorizations and orders) are costed by ZigZag in
one run, and each one's energy is compared with the coupled bound of its own unrolling. Any mapping below its bound
is listed (a bound that is not a bound fails here); the closest ones are shown. A diagnostic, not a search.

usage: coupled_check.py ZIGZAG_DIR REFEREE_OUT HW LAYER_ID COUNT SEED WORK_DIR
  (ZigZag's cost of user mappings: run_zigzag.py with the variants' mapping file; REFEREE_OUT as for energy_bound.py)
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
import energy_bound as eb  # noqa: E402


def prime_factors(n):
    out, f = [], 2
    while n > 1:
        while n % f == 0:
            out.append(f)
            n //= f
        f += 1
    return out


def random_loops(rng, temporal):
    """A random factorization of every temporal count into loops, in a random order (innermost first)."""
    loops = []
    for d, n in temporal.items():
        primes = prime_factors(n)
        rng.shuffle(primes)
        groups = []
        for p in primes:
            if groups and rng.random() < 0.5:
                groups[rng.randrange(len(groups))] *= p
            else:
                groups.append(p)
        loops += [[d, g] for g in groups]
    rng.shuffle(loops)
    return loops


def perturb(rng, loops):
    loops = [list(l) for l in loops]
    for _ in range(rng.randint(1, 4)):
        move = rng.random()
        i = rng.randrange(len(loops))
        if move < 0.5 and len(loops) > 1:  # swap with a neighbour
            j = min(len(loops) - 1, i + 1) if i + 1 < len(loops) else i - 1
            loops[i], loops[j] = loops[j], loops[i]
        elif move < 0.8:  # split a composite loop into two factors
            d, n = loops[i]
            ps = prime_factors(n)
            if len(ps) > 1:
                a = ps[rng.randrange(len(ps))]
                loops[i] = [d, n // a]
                loops.insert(rng.randrange(len(loops) + 1), [d, a])
        else:  # merge two loops of one dimension (the first into the second)
            same = [j for j, l in enumerate(loops) if l[0] == loops[i][0] and j != i]
            if same:
                j = rng.choice(same)
                loops[j] = [loops[j][0], loops[j][1] * loops[i][1]]
                del loops[i]
    return loops


def main():
    zigzag, out, hw, layer_id, count, seed, work = sys.argv[1:8]
    layer_id, count, rng = int(layer_id), int(count), random.Random(int(seed))
    os.makedirs(work, exist_ok=True)
    layer = next(l for l in yaml.safe_load(open(os.path.join(out, "resnet18_conv.yaml"))) if l["id"] == layer_id)
    dims = dict(zip(layer["loop_dims"], layer["loop_sizes"]))
    doc = yaml.safe_load(open(os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % hw)))
    sizes = dict(zip(doc["operational_array"]["dimensions"], doc["operational_array"]["sizes"]))
    entry = eb.mapping_entry(zigzag, hw)
    axes = entry["spatial_mapping"]
    named = {a: e[0].split(",")[0].strip() for a, e in axes.items()}
    name = "example_name_of_layer0" if layer_id == 0 else "Layer%d" % layer_id
    seeds = []
    for who in ("edgenn", "zigzag"):
        m = next(e for e in yaml.safe_load(open(os.path.join(out, hw, "energy", who, "mapping.yaml")))
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
        unroll, loops = seeds[rng.randrange(2)]
        unroll = dict(unroll)
        if kind < 0.5:
            loops = perturb(rng, loops)
        else:
            if kind < 0.75:  # another factor on one axis
                a = rng.choice(list(axes))
                unroll[a] = rng.randint(1, min(sizes[a], dims.get(named[a], 1)))
            else:
                unroll = {a: rng.randint(1, min(sizes[a], dims.get(named[a], 1))) for a in axes}
            loops = random_loops(rng, temporal_of(unroll))
        variants.append((unroll, loops))
    workload, mapping = [], []
    for i, (unroll, loops) in enumerate(variants):
        l = dict(layer, id=1000 + i, operand_source={"I": 1000 + i, "W": 1000 + i})
        workload.append(l)
        mapping.append({"name": "Layer%d" % (1000 + i),
                        "spatial_mapping": {a: ["%s, %d" % (named[a], f)] for a, f in unroll.items()},
                        "temporal_ordering": loops, "memory_operand_links": entry["memory_operand_links"]})
    mapping.append({"name": "default", "spatial_mapping": axes, "memory_operand_links": entry["memory_operand_links"]})
    yaml.safe_dump(workload, open(os.path.join(work, "workload.yaml"), "w"), sort_keys=False)
    yaml.safe_dump(mapping, open(os.path.join(work, "mapping.yaml"), "w"), sort_keys=False)
    hw_yaml = os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % hw)
    env = dict(os.environ, ZZSTUBS=os.path.join(HERE, "stubs"), ZIGZAG=zigzag)
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "run_zigzag.py"), os.path.join(work, "workload.yaml"),
                    hw_yaml, os.path.join(work, "mapping.yaml"), "energy", os.path.join(work, "zz")],
                   env=env, cwd=zigzag, check=True, capture_output=True)
    costed = {l["layer"]: l["energy"] for l in json.load(open(os.path.join(work, "zz", "summary.json")))["layers"]}
    eb.COUPLED = True
    mems = [eb.Memory(n, d) for n, d in doc["memories"].items()]
    hw_sizes = {n: d["size"] for n, d in doc["memories"].items()}
    bounds, rows = {}, []
    for i, (unroll, loops) in enumerate(variants):
        e = costed.get("Layer%d" % (1000 + i))
        if e is None:
            continue
        key = tuple(sorted(unroll.items()))
        if key not in bounds:
            bounds[key] = eb.layer_bound(layer, axes, sizes, mems, doc["operational_array"]["unit_energy"], hw_sizes,
                                         only=unroll)
        rows.append((e / bounds[key], e, bounds[key], unroll, loops))
    rows.sort(key=lambda r: r[0])
    below = [r for r in rows if r[0] < 1 - 1e-9]
    print("%s layer %d: %d mappings costed by ZigZag, %d unrollings; energy / coupled bound of its unrolling: "
          "min %.4f, median %.4f; %d below" % (hw, layer_id, len(rows), len(bounds), rows[0][0],
                                               rows[len(rows) // 2][0], len(below)))
    for r in rows[:3] + below:
        print("  %.4f  E %.6g  bound %.6g  %s  %s" % r)


if __name__ == "__main__":
    main()
