#!/usr/bin/python3
"""Odd widths, both tools: EdgeNN's mappings of hand-made variants of ZigZag's shipped hardware files, costed by ZigZag.

The variants keep a shipped file and change its widths the way ZigZag allows (sizes, ports and precisions in bits):
  tpu_like_w12        12-bit MAC operands (input_precision [12, 12]); the weight register holds 128 12-bit weights
                      through 12-bit ports; the output register is 24 bits (24-bit ports): 24-bit partial sums
  eyeriss_like_w12    12-bit operands in the 64-entry input and weight registers (12-bit ports), 24-bit partial sums
                      in the shipped 128-bit output register (its ports are 24 bits already)
  edge_tpu_like_w4    4-bit MAC operands; a 4-bit weight register (one weight, 4-bit ports), a 12-bit output
                      register (12-bit ports): 12-bit partial sums
and, as controls, the shipped tpu_like and edge_tpu_like at the shipped workloads' precisions (8, 8, 16, 8).
The workload is four layers of ZigZag's resnet18.yaml (conv1, the first stride-2 3x3 of stages 2 and 3, fc) at the
variant's precisions (W, I, O, O_final). For each variant:
  1. edgenn import-zigzag HW --mapping M --partial-sum-bits O
  2. edgenn map --zigzag-workload WL --objective energy --export-zigzag E.yaml   (EdgeNN's search, its energy)
  3. run_zigzag.py WL HW E.yaml                                                  (ZigZag's cost of those mappings)
  4. the same with ZigZag's int() of every (operand, level, direction) word count removed (_calc_memory_access):
     ZigZag truncates each count to a whole number, EdgeNN does not, so step 3 is up to one access per term below
and writes OUT/widths_reference.json (what ZigZagWidthsTest reads: per variant the hardware text, the mapping-file text
and the partial-sum width; per case the layer, EdgeNN's exported mapping, ZigZag's energy with and without its int()
and EdgeNN's) plus a table on stdout.

usage: widths_check.py ZIGZAG_DIR EDGENN_LAUNCHER OUT
"""
import copy
import json
import os
import subprocess
import sys
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
LAYER_IDS = [0, 8, 15, 30]


def ports(mem, bits):
    for p in mem["ports"]:
        p["bandwidth_min"] = bits
        p["bandwidth_max"] = bits


def variants(zigzag):
    def shipped(name):
        return yaml.safe_load(open(os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % name)))

    out = {}
    # controls: the shipped files at the shipped workloads' precisions, through the same steps
    out["tpu_like"] = (shipped("tpu_like"), "tpu_like", {"W": 8, "I": 8, "O": 16, "O_final": 8})
    out["edge_tpu_like"] = (shipped("edge_tpu_like"), "edge_tpu_like", {"W": 8, "I": 8, "O": 16, "O_final": 8})
    hw = shipped("tpu_like")
    hw["name"] = "tpu_like_w12"
    hw["operational_array"]["input_precision"] = [12, 12]
    hw["memories"]["rf_128B"]["size"] = 128 * 12
    ports(hw["memories"]["rf_128B"], 12)
    hw["memories"]["rf_2B"]["size"] = 24
    ports(hw["memories"]["rf_2B"], 24)
    out["tpu_like_w12"] = (hw, "tpu_like", {"W": 12, "I": 12, "O": 24, "O_final": 12})
    hw = shipped("eyeriss_like")
    hw["name"] = "eyeriss_like_w12"
    hw["operational_array"]["input_precision"] = [12, 12]
    for m in ("rf_64B_A", "rf_64B_W"):
        hw["memories"][m]["size"] = 64 * 12
        ports(hw["memories"][m], 12)
    out["eyeriss_like_w12"] = (hw, "default", {"W": 12, "I": 12, "O": 24, "O_final": 12})
    hw = shipped("edge_tpu_like")
    hw["name"] = "edge_tpu_like_w4"
    hw["operational_array"]["input_precision"] = [4, 4]
    hw["memories"]["rf_1B"]["size"] = 4
    ports(hw["memories"]["rf_1B"], 4)
    hw["memories"]["rf_2B"]["size"] = 12
    ports(hw["memories"]["rf_2B"], 12)
    out["edge_tpu_like_w4"] = (hw, "edge_tpu_like", {"W": 4, "I": 4, "O": 12, "O_final": 4})
    return out


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError("%s failed:\n%s\n%s" % (" ".join(cmd), p.stdout[-3000:], p.stderr[-3000:]))
    return p.stdout


def untruncated_runner(args):
    """run_zigzag.py ARGS with CostModelEvaluation._calc_memory_access returning the exact (fractional) count."""
    import math
    import runpy
    sys.path.insert(0, os.environ.get("ZZSTUBS", "/tmp/zzstubs"))
    sys.path.insert(0, os.environ.get("ZIGZAG", "/tmp/zz"))
    from zigzag.cost_model.cost_model import CostModelEvaluation

    def exact(self, amount, precision, periods, max_bw, min_bw, layer_op, mem_lv):
        if amount == 0 or precision == 0:
            return 0
        return (math.ceil((amount * precision) / min_bw) * (min_bw / max_bw) * periods
                * self.mapping.spatial_mapping.unit_count[layer_op][mem_lv + 1])

    CostModelEvaluation._calc_memory_access = exact
    sys.argv = [os.path.join(HERE, "run_zigzag.py")] + args
    runpy.run_path(sys.argv[0], run_name="__main__")


def main():
    if sys.argv[1] == "--untruncated-runner":
        untruncated_runner(sys.argv[2:])
        return
    zigzag, edgenn, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    shipped_layers = {l["id"]: l for l in yaml.safe_load(open(os.path.join(zigzag, "zigzag/inputs/workload/resnet18.yaml")))}
    cases = []
    files = {}
    print("| variant | layer | ZigZag energy of EdgeNN's mapping (pJ) | EdgeNN's energy (pJ) | relative difference | "
          "ZigZag without int() (pJ) | relative difference |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, (hw, mapping_name, precision) in variants(zigzag).items():
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        hw_path = os.path.join(d, name + ".yaml")
        yaml.safe_dump(hw, open(hw_path, "w"), sort_keys=False)
        mapping_path = os.path.join(zigzag, "zigzag/inputs/mapping/%s.yaml" % mapping_name)
        layers = []
        for i in LAYER_IDS:
            l = copy.deepcopy(shipped_layers[i])
            l["name"] = l.get("name") or "layer%d" % i
            l["operand_precision"] = dict(precision)
            l["operand_source"] = {"I": l["id"], "W": l["id"]}
            layers.append(l)
        wl = os.path.join(d, "workload.yaml")
        yaml.safe_dump(layers, open(wl, "w"), sort_keys=False)
        acc = os.path.join(d, name + ".edgenn")
        run([edgenn, "import-zigzag", hw_path, "--mapping", mapping_path, "--partial-sum-bits", str(precision["O"]),
             "-o", acc])
        target = next(l.split()[1] for l in open(acc) if l.startswith("accelerator "))
        exported = os.path.join(d, "edgenn", "mapping.yaml")
        run([edgenn, "map", acc, "--zigzag-workload", wl, "--network", "Widths", "--target", target,
             "--objective", "energy", "--out", os.path.join(d, "edgenn"), "--export-zigzag", exported])
        env = dict(os.environ, ZZSTUBS=os.path.join(HERE, "stubs"), ZIGZAG=zigzag)
        run(["/usr/bin/python3", os.path.join(HERE, "run_zigzag.py"), wl, hw_path, exported, "energy",
             os.path.join(d, "zigzag_of_edgenn")], env=env, cwd=zigzag)
        run(["/usr/bin/python3", os.path.abspath(__file__), "--untruncated-runner", wl, hw_path, exported, "energy",
             os.path.join(d, "zigzag_untruncated")], env=env, cwd=zigzag)
        zz = json.load(open(os.path.join(d, "zigzag_of_edgenn", "summary.json")))["layers"]
        exact = json.load(open(os.path.join(d, "zigzag_untruncated", "summary.json")))["layers"]
        ours = json.load(open(os.path.join(d, "edgenn", "Widths.mapping.json")))["layers"]
        entries = {e["name"]: e for e in yaml.safe_load(open(exported))}
        for layer, z, x, e in zip(layers, zz, exact, ours):
            assert e["name"] == layer["name"], (e["name"], layer["name"])
            ez = z["energy"]
            ex = x["energy"]
            ee = e["energyPj"]["total"]
            print("| %s | %s | %.10g | %.10g | %+.2e | %.10g | %+.2e |" % (name, layer["name"], ez, ee, ee / ez - 1, ex,
                                                                      ee / ex - 1))
            cases.append({"variant": name, "layer": layer, "mapping": entries[layer["name"]],
                          "energy": ez, "energy_untruncated": ex, "edgenn_energy": ee})
        files[name] = {"hardware": open(hw_path).read(), "mapping_file": open(mapping_path).read(),
                       "partial_sum_bits": precision["O"]}
        sys.stdout.flush()
    json.dump({"zigzag": "3.8, commit 3d12a96e", "script": "docs/zigzag/widths_check.py", "variants": files,
               "cases": cases},
              open(os.path.join(out, "widths_reference.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
