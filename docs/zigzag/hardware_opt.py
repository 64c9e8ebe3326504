#!/usr/bin/python3
"""ZigZag's hardware-optimization grid vs `edgenn explore` on the same accelerator space and layer, same run.

ZigZag side: its own HardwareOptimizerStage (zigzag/stages/hardware_opt_stages.py: l1 sizes {32..512} KiB x 3-D array
sizes {8, 16}^3 on gemm_l1_l3.yaml, the single Gemm of gemm_layer.yaml, LOMA per configuration, ranked on latency then
energy), in ZigZag's pipeline as api.py builds it (minimal-latency reduction), the stage first. Every configuration it
evaluates is recorded.
EdgeNN side: `edgenn explore examples/src/main/edgenn/explore/gemm_hwopt.edgenn` (the same 40 configurations as
families; minimize latency, energy), its best-latency design taken from the front.
Cross-costing: EdgeNN's best design is the ZigZag configuration file the stage wrote for it; `edgenn import-zigzag`
of that file + `edgenn map --zigzag-workload gemm_layer.yaml --export-zigzag` gives EdgeNN's mapping in ZigZag's
format, which ZigZag then costs on that configuration (run_zigzag.py): EdgeNN's design and mapping in ZigZag's model.
Times: wall and CPU (user+sys of the child processes) per tool; EdgeNN's include the JVM start.

usage: hardware_opt.py ZIGZAG_DIR EDGENN_LAUNCHER OUT     (ZigZag checked out at ZIGZAG_DIR, commit 3d12a96e)
"""
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SPACE = os.path.join(ROOT, "examples/src/main/edgenn/explore/gemm_hwopt.edgenn")

ZIGZAG_GRID = r'''
import sys, os, json, time, logging
sys.path.insert(0, os.environ["ZZSTUBS"]); sys.path.insert(0, os.environ["ZIGZAG"])
from zigzag.mapping.temporal_mapping import TemporalMappingType
from zigzag.stages.evaluation.cost_model_evaluation import CostModelStage
from zigzag.stages.hardware_opt_stages import HardwareOptimizerStage
from zigzag.stages.main import MainStage
from zigzag.stages.mapping.spatial_mapping_generation import SpatialMappingGeneratorStage
from zigzag.stages.mapping.temporal_mapping_generator_stage import TemporalMappingGeneratorStage
from zigzag.stages.parser.accelerator_parser import AcceleratorParserStage
from zigzag.stages.parser.workload_parser import WorkloadParserStage
from zigzag.stages.results.reduce_stages import MinimalLatencyStage, SumStage
from zigzag.stages.workload_iterator import WorkloadStage
logging.basicConfig(level=logging.WARNING)
zz, out = os.environ["ZIGZAG"], sys.argv[1]
os.makedirs(out, exist_ok=True)
seen, results = [], []
class Recording(HardwareOptimizerStage):  # ZigZag's stage itself; only notes the configuration files in its order
    def _accelerator_and_workload_iterator(self):
        for path, wl in super()._accelerator_and_workload_iterator():
            seen.append(path)
            yield path, wl
class Capture(AcceleratorParserStage):  # the stage's sub-pipeline, one run per configuration: notes what it gave
    def run(self):
        for cme, extra in super().run():
            results.append({"latency": cme.latency_total2, "energy": cme.energy_total})
            yield cme, extra
stages = [WorkloadParserStage, Recording, Capture, SumStage, WorkloadStage, MinimalLatencyStage,
          SpatialMappingGeneratorStage, MinimalLatencyStage, TemporalMappingGeneratorStage, CostModelStage]
t0 = time.time()
main = MainStage(list_of_callables=stages, accelerator=zz + "/zigzag/inputs/hardware/gemm_l1_l3.yaml",
                 workload=zz + "/zigzag/inputs/workload/gemm_layer.yaml",
                 mapping=zz + "/zigzag/inputs/mapping/gemm_l1_l3.yaml", dump_folder=out,
                 pickle_filename=out + "/cmes.pickle", loma_lpf_limit=6, loma_show_progress_bar=False,
                 nb_mappings_generated=3, enable_mix_spatial_mapping_generation=False,
                 access_same_data_considered_as_no_access=True, temporal_mapping_type=TemporalMappingType("uneven"))
cmes = main.run()
best = cmes[0][0]
assert len(results) == len(seen), (len(results), len(seen))
for r, f in zip(results, seen):
    r["file"] = f
# the stage's rule: the first configuration with the lowest latency, then the lowest energy
chosen = min(results, key=lambda r: (r["latency"], r["energy"]))
assert chosen["latency"] == best.latency_total2 and chosen["energy"] == best.energy_total
json.dump({"seconds": time.time() - t0, "best": chosen, "configurations": results}, open(out + "/grid.json", "w"), indent=1)
'''


def timed(cmd, env=None, cwd=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.time() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError("%s failed:\n%s\n%s" % (" ".join(cmd), p.stdout[-3000:], p.stderr[-3000:]))
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), p.stdout


def main():
    zigzag, edgenn, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, ZZSTUBS=os.path.join(HERE, "stubs"), ZIGZAG=zigzag)
    load0 = os.getloadavg()
    script = os.path.join(out, "zigzag_grid.py")
    open(script, "w").write(ZIGZAG_GRID)
    z_wall, z_cpu, _ = timed(["/usr/bin/python3", script, os.path.join(out, "zigzag")], env=env, cwd=zigzag)
    grid = json.load(open(os.path.join(out, "zigzag", "grid.json")))
    e_dir = os.path.join(out, "edgenn")
    subprocess.run(["rm", "-rf", e_dir])
    e_wall, e_cpu, _ = timed([edgenn, "explore", SPACE, "--out", e_dir])
    load1 = os.getloadavg()
    ex = json.load(open(os.path.join(e_dir, "explore.json")))
    front = sorted(ex["front"], key=lambda r: (r["metrics"]["latency"], r["metrics"]["energy"]))
    e_best = front[0]
    p = e_best["acceleratorParameters"]
    l1 = int(e_best["accelerator"].replace("GemmL1L3x", ""))
    arr = (int(p["$d1"]), int(p["$d2"]), int(p["$d3"]))
    # the configuration file ZigZag's stage wrote for that design: l1 size outermost, product([8, 16], repeat=3) inside
    from itertools import product
    index = [32, 64, 128, 256, 512].index(l1) * 8 + list(product([8, 16], repeat=3)).index(arr)
    hw = os.path.join(out, "zigzag", "gemm_l1_l3_%d.yaml" % index)
    zz_same = [c for c in grid["configurations"] if c["file"].endswith("gemm_l1_l3_%d.yaml" % index)][0]
    # EdgeNN's mapping of that design, in ZigZag's format, costed by ZigZag
    x = os.path.join(out, "cross")
    os.makedirs(x, exist_ok=True)
    mapping = os.path.join(x, "spatial.yaml")
    open(mapping, "w").write(
        "- name: default\n  spatial_mapping:\n    D1:\n      - D0, %d\n    D2:\n      - D2, %d\n    D3:\n      - D1, %d\n"
        "  memory_operand_links:\n    O: O\n    W: I2\n    I: I1\n" % arr)
    acc = os.path.join(x, "best.edgenn")
    timed([edgenn, "import-zigzag", hw, "--mapping", mapping, "-o", acc])
    target = next(l.split()[1] for l in open(acc) if l.startswith("accelerator "))
    wl = os.path.join(zigzag, "zigzag/inputs/workload/gemm_layer.yaml")
    timed([edgenn, "map", acc, "--zigzag-workload", wl, "--network", "Gemm", "--target", target, "--objective", "latency",
           "--out", x + "/edgenn", "--export-zigzag", x + "/edgenn/mapping.yaml"])
    # an older export named EdgeNN's loop dimensions; ZigZag's Gemm names them D0/D1/D2 (the import read D0 -> N,
    # D1 -> K, D2 -> C), so those are renamed back before ZigZag reads the file (today's export already writes D0..D2)
    import yaml
    rename = {"B": "D0", "N": "D0", "K": "D1", "C": "D2", "D0": "D0", "D1": "D1", "D2": "D2"}
    entries = yaml.safe_load(open(x + "/edgenn/mapping.yaml"))
    for e in entries:
        e["spatial_mapping"] = {oa: ["%s, %s" % (rename[v.split(",")[0].strip()], v.split(",")[1].strip()) for v in vs]
                                for oa, vs in e["spatial_mapping"].items()}
        if "temporal_ordering" in e:
            e["temporal_ordering"] = [[rename[d], f] for d, f in e["temporal_ordering"]]
    yaml.safe_dump(entries, open(x + "/edgenn/mapping_zigzag_dims.yaml", "w"), sort_keys=False)
    timed(["/usr/bin/python3", os.path.join(HERE, "run_zigzag.py"), wl, hw, x + "/edgenn/mapping_zigzag_dims.yaml", "latency",
           x + "/zigzag_of_edgenn"], env=env, cwd=zigzag)
    zz_of_e = json.load(open(x + "/zigzag_of_edgenn/summary.json"))
    e_model = json.load(open(x + "/edgenn/Gemm.mapping.json"))["totals"]
    r = {
        "load_before": load0, "load_after": load1,
        "zigzag": {"wall_s": z_wall, "cpu_s": z_cpu, "configurations": len(grid["configurations"]),
                   "best_latency_cycles": grid["best"]["latency"], "best_energy_pj": grid["best"]["energy"],
                   "best_file": os.path.basename(grid["best"]["file"])},
        "edgenn": {"wall_s": e_wall, "cpu_s": e_cpu, "candidates": ex["candidates"], "best": e_best["key"],
                   "best_latency_cycles_edgenn_model": e_best["metrics"]["latency"] * 1e9,
                   "best_energy_pj_edgenn_model": e_best["metrics"]["energy"] * 1e12},
        "zigzag_on_edgenn_best_design": {"zigzag_loma_latency": zz_same["latency"], "zigzag_loma_energy": zz_same["energy"],
                                         "edgenn_mapping_latency": zz_of_e["latency"],
                                         "edgenn_mapping_energy": zz_of_e["energy"],
                                         "edgenn_model_of_that_mapping": {"latency": e_model["latencyCycles"],
                                                                          "energy": e_model["energyPj"]}},
        "verdict": {"latency_ratio_in_zigzag_model": zz_of_e["latency"] / grid["best"]["latency"],
                    "cpu_ratio_edgenn_over_zigzag": e_cpu / z_cpu, "wall_ratio_edgenn_over_zigzag": e_wall / z_wall},
    }
    json.dump(r, open(os.path.join(out, "result.json"), "w"), indent=1)
    print(json.dumps(r, indent=1))


if __name__ == "__main__":
    main()
