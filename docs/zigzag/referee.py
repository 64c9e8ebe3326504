#!/usr/bin/python3
"""Each tool costs the other's mapping: EdgeNN vs ZigZag on ZigZag's own hardware files.

For every hardware file (and the mapping file ZigZag ships for it: its spatial-mapping constraints) x the conv/fc
layers of ZigZag's ResNet-18 workload, one objective:
  1. edgenn import-zigzag HW --mapping M                  -> the accelerator as .edgenn
  2. edgenn map --zigzag-workload ... --export-zigzag      -> EdgeNN's search, its mappings in ZigZag's format
  3. run_zigzag.py (LOMA)                                  -> ZigZag's search, its mappings in the same format
  4. run_zigzag.py with EdgeNN's mapping file              -> ZigZag's cost of EdgeNN's mappings
  5. edgenn map --zigzag-mapping ZigZag's mapping file     -> EdgeNN's cost of ZigZag's mappings
and writes OUT/results.json plus a markdown table on stdout. CPU time (user+sys of the child processes) is
measured per tool; EdgeNN's includes the JVM start. The mapping format has no memory allocation: each tool
allocates a given loop order with its own allocator.

usage: [REUSE_LOMA=1] referee.py [--workload MODEL.onnx|WORKLOAD.yaml] ZIGZAG_DIR EDGENN_LAUNCHER OUT
                                  OBJECTIVE(energy|latency|edp) [HW ...]
  (ZigZag checked out at ZIGZAG_DIR, commit 3d12a96e; Debian's python3 packages, stubs in docs/zigzag/stubs)
  --workload: another network than ZigZag's resnet18.yaml; a graph-only ONNX model (ZigZag ships mobilenetv2.onnx,
  depthwise layers included) is read by ZigZag's own ONNX parser (onnx_workload.py), so both tools see its layers
  as ZigZag does. Use one OUT per workload.
"""
import json
import os
import resource
import subprocess
import sys
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
IMC = {"aimc", "dimc"}  # ZigZag costs these with its in-memory-computing model (ADC/DAC); not comparable
MAPPING_FILE = {"meta_prototype": "meta_prototype_like"}


def cpu_of(cmd, env=None, cwd=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError("%s failed:\n%s\n%s" % (" ".join(cmd), p.stdout[-3000:], p.stderr[-3000:]))
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), p.stdout


WORKLOAD = None  # --workload
NETWORK = "ResNet18"


def conv_layers(zigzag, out, mapping):
    if WORKLOAD and WORKLOAD.endswith(".onnx"):
        path = os.path.join(out, os.path.basename(WORKLOAD)[:-5] + "_conv.yaml")
        if not os.path.exists(path):  # ZigZag's parse does not depend on the mapping's spatial entries
            _, text = cpu_of(["/usr/bin/python3", os.path.join(HERE, "onnx_workload.py"), zigzag, WORKLOAD, mapping])
            open(path, "w").write(text)
        return path
    layers = yaml.safe_load(open(WORKLOAD or os.path.join(zigzag, "zigzag/inputs/workload/resnet18.yaml")))
    keep = []
    for l in layers:
        if l["operator_type"].startswith("Conv") or l["operator_type"].startswith("Gemm"):
            l = dict(l)
            l["operand_source"] = {"I": l["id"], "W": l["id"]}  # each layer stands alone (no fusion in either tool)
            keep.append(l)
    path = os.path.join(out, "resnet18_conv.yaml" if not WORKLOAD else os.path.basename(WORKLOAD) + "_conv.yaml")
    yaml.safe_dump(keep, open(path, "w"), sort_keys=False)
    return path


def edgenn_totals(json_path):
    d = json.load(open(json_path))
    return {"energy": d["totals"]["energyPj"], "latency": d["totals"]["latencyCycles"]}


def zigzag_totals(summary_path):
    d = json.load(open(summary_path))
    return {"energy": sum(l["energy"] for l in d["layers"]), "latency": sum(l["latency"] for l in d["layers"])}


def loma(runner, wl, hw_yaml, m, zz_obj, d, env, zigzag):
    """ZigZag's own search (LOMA) on its own inputs; its result does not depend on EdgeNN, so with REUSE_LOMA=1 an
    earlier run's result and CPU time (d/zigzag/cpu.json, written by that run) are reused."""
    cpu_file = os.path.join(d, "zigzag", "cpu.json")
    if os.environ.get("REUSE_LOMA") == "1" and os.path.exists(cpu_file) \
            and os.path.exists(os.path.join(d, "zigzag", "summary.json")):
        return json.load(open(cpu_file))["cpu_s"]
    z_cpu, _ = cpu_of(["/usr/bin/python3", runner, wl, hw_yaml, m, zz_obj, d + "/zigzag"], env=env, cwd=zigzag)
    json.dump({"cpu_s": z_cpu, "load": os.getloadavg()}, open(cpu_file, "w"))
    return z_cpu


def run(zigzag, edgenn, out, objective, hw):
    zz_obj = {"energy": "energy", "latency": "latency", "edp": "EDP"}[objective]
    d = os.path.join(out, hw, objective)
    os.makedirs(d, exist_ok=True)
    hw_yaml = os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % hw)
    m = os.path.join(zigzag, "zigzag/inputs/mapping/%s.yaml" % MAPPING_FILE.get(hw, hw))
    if not os.path.exists(m):
        m = os.path.join(zigzag, "zigzag/inputs/mapping/default.yaml")
    wl = conv_layers(zigzag, out, m)
    acc = os.path.join(d, hw + ".edgenn")
    cpu_of([edgenn, "import-zigzag", hw_yaml, "--mapping", m, "-o", acc])
    target = next(l.split()[1] for l in open(acc) if l.startswith("accelerator "))
    env = dict(os.environ, ZZSTUBS=os.path.join(HERE, "stubs"), ZIGZAG=zigzag)
    runner = os.path.join(HERE, "run_zigzag.py")
    base = [edgenn, "map", acc, "--zigzag-workload", wl, "--network", NETWORK, "--target", target,
            "--objective", objective]
    e_cpu, _ = cpu_of(base + ["--out", d + "/edgenn", "--export-zigzag", d + "/edgenn/mapping.yaml"])
    z_cpu = loma(runner, wl, hw_yaml, m, zz_obj, d, env, zigzag)
    cpu_of(["/usr/bin/python3", runner, wl, hw_yaml, d + "/edgenn/mapping.yaml", zz_obj, d + "/zigzag_of_edgenn"],
           env=env, cwd=zigzag)
    cpu_of(base + ["--out", d + "/edgenn_of_zigzag", "--zigzag-mapping", d + "/zigzag/mapping.yaml"])
    r = {
        "hw": hw, "objective": objective, "edgenn_cpu_s": e_cpu, "zigzag_cpu_s": z_cpu,
        "zigzag_model": {"zigzag_mapping": zigzag_totals(d + "/zigzag/summary.json"),
                         "edgenn_mapping": zigzag_totals(d + "/zigzag_of_edgenn/summary.json")},
        "edgenn_model": {"zigzag_mapping": edgenn_totals(d + "/edgenn_of_zigzag/%s.mapping.json" % NETWORK),
                         "edgenn_mapping": edgenn_totals(d + "/edgenn/%s.mapping.json" % NETWORK)},
    }
    for model in ("zigzag_model", "edgenn_model"):
        for k in ("zigzag_mapping", "edgenn_mapping"):
            t = r[model][k]
            t["edp"] = t["energy"] * t["latency"]
    json.dump(r, open(os.path.join(d, "result.json"), "w"), indent=1)
    return r


def main():
    global WORKLOAD, NETWORK
    args = sys.argv[1:]
    if args and args[0] == "--workload":
        WORKLOAD = os.path.abspath(args[1])
        NETWORK = "".join(c for c in os.path.basename(WORKLOAD).split(".")[0].title() if c.isalnum())
        args = args[2:]
    zigzag, edgenn, out, objective = args[:4]
    os.makedirs(out, exist_ok=True)
    hws = args[4:] or sorted(f[:-5] for f in os.listdir(os.path.join(zigzag, "zigzag/inputs/hardware"))
                                 if f.endswith(".yaml") and f[:-5] not in IMC)
    print("| hardware | objective | ZigZag model: EdgeNN / ZigZag mapping (E, L, EDP) | EdgeNN model: EdgeNN / ZigZag"
          " mapping (E, L, EDP) | CPU ZigZag / EdgeNN |")
    print("|---|---|---|---|---:|")
    results = []
    for hw in hws:
        try:
            r = run(zigzag, edgenn, out, objective, hw)
        except Exception as e:  # one file's failure is reported, the others still run
            print("| %s | %s | failed: %s |" % (hw, objective, str(e).splitlines()[0][:200]))
            sys.stdout.flush()
            continue
        results.append(r)
        zm, em = r["zigzag_model"], r["edgenn_model"]
        ratio = lambda m: ", ".join("%.3f" % (m["edgenn_mapping"][k] / m["zigzag_mapping"][k])
                                    for k in ("energy", "latency", "edp"))
        print("| %s | %s | %s | %s | %.0f s / %.1f s = %.0fx |" % (
            hw, objective, ratio(zm), ratio(em), r["zigzag_cpu_s"], r["edgenn_cpu_s"],
            r["zigzag_cpu_s"] / r["edgenn_cpu_s"]))
        sys.stdout.flush()
    json.dump(results, open(os.path.join(out, "results-%s.json" % objective), "w"), indent=1)


if __name__ == "__main__":
    main()
