#!/usr/bin/python3
"""Per layer, where EdgeNN's energy mapping stands: LOMA's energy, EdgeNN's / LOMA's and energy_bound.py's bound / LOMA's
(all in ZigZag's model), and with -v each operand's energy per memory level (ZigZag's breakdown, M pJ, innermost
first) and both mappings. A diagnostic for the energy bar (docs/mapping.md, "How far the energy bar can go").

usage: per_layer.py [-v] [--faithful] [--coupled] ZIGZAG_DIR REFEREE_OUT HW
  REFEREE_OUT: the OUT of docs/zigzag/referee.py after an energy run on HW.
"""
import json
import os
import sys
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import energy_bound as eb  # noqa: E402


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    eb.FAITHFUL = "--faithful" in sys.argv
    eb.COUPLED = "--coupled" in sys.argv
    zz, out, hw = args[:3]
    layers = yaml.safe_load(open(os.path.join(out, "resnet18_conv.yaml")))
    doc = yaml.safe_load(open(os.path.join(zz, "zigzag/inputs/hardware/%s.yaml" % hw)))
    sizes = dict(zip(doc["operational_array"]["dimensions"], doc["operational_array"]["sizes"]))
    axes = eb.mapping_entry(zz, hw)["spatial_mapping"]
    mems = [eb.Memory(n, d) for n, d in doc["memories"].items()]
    hw_sizes = {n: d["size"] for n, d in doc["memories"].items()}
    mac_pj = doc["operational_array"]["unit_energy"]
    loma = json.load(open(os.path.join(out, hw, "energy/zigzag/summary.json")))["layers"]
    mine = json.load(open(os.path.join(out, hw, "energy/zigzag_of_edgenn/summary.json")))["layers"]
    totals = [0.0, 0.0, 0.0]
    for layer, a, m in zip(layers, loma, mine):
        b = eb.layer_bound(layer, axes, sizes, mems, mac_pj, hw_sizes)
        totals = [totals[0] + a["energy"], totals[1] + m["energy"], totals[2] + b]
        print("%-22s %-60s LOMA %.4g  EdgeNN/LOMA %.3f  bound/LOMA %.3f" % (
            a["layer"], dict(zip(layer["loop_dims"], layer["loop_sizes"])), a["energy"], m["energy"] / a["energy"],
            b / a["energy"]))
        if verbose:
            for op in ("W", "I", "O"):
                for who, x in (("LOMA", a), ("EdgeNN", m)):
                    print("    %s %-6s %s" % (op, who, [round(float(v) / 1e6, 3) for v in x["mem_energy_breakdown"][op]]))
            print("    LOMA   %s %s\n    EdgeNN %s %s" % (a["spatial"], a["temporal"], m["spatial"], m["temporal"]))
    print("total: EdgeNN/LOMA %.4f, bound/LOMA %.4f" % (totals[1] / totals[0], totals[2] / totals[0]))


if __name__ == "__main__":
    main()
