#!/usr/bin/python3
"""ZigZag's own energy accounting on given mappings: the reference values of ZigZagEnergyReferenceTest.

usage: zigzag_energy_fixtures.py ZIGZAG_DIR OUT.json CASES.json...
Every case of the CASES files ({"cases": [{"hardware", "layer", "mapping"}, ...]}, e.g. stall_reference.json, or the
cases of extra_cases.py) is costed by ZigZag 3.8 (commit 3d12a96e; Debian's python3 packages, stubs in
docs/zigzag/stubs) on the hardware file ZigZag ships, without LOMA (the temporal orderings are complete, so ZigZag
only allocates and costs them), and recorded with: ZigZag's allocation (loops per memory level per operand,
innermost first, before its stationary merge), total and MAC energy, the energy per operand and memory level and the
word accesses per operand, memory level and direction.
"""
import json
import logging
import os
import re
import sys
import tempfile
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
STUBS = os.path.join(HERE, "..", "..", "..", "..", "docs", "zigzag", "stubs")


def four_way(x):
    """'4WayDataMoving(rd ↑: 1, wr ↓: 2, rd ↓: 3, wr ↑: 4)' -> {"rd_up": 1, "wr_down": 2, "rd_down": 3, "wr_up": 4}"""
    names = {"rd ↑": "rd_up", "wr ↓": "wr_down", "rd ↓": "rd_down", "wr ↑": "wr_up"}
    return {names[k]: float(v) for k, v in re.findall(r"(rd [↑↓]|wr [↑↓]): ([-0-9.e+]+)", str(x))}


def main():
    zigzag, out = sys.argv[1:3]
    sys.path.insert(0, STUBS)
    sys.path.insert(0, zigzag)
    from zigzag.mapping.temporal_mapping import TemporalMappingType
    from zigzag.stages.evaluation.cost_model_evaluation import CostModelStage
    from zigzag.stages.main import MainStage
    from zigzag.stages.mapping.spatial_mapping_generation import SpatialMappingGeneratorStage
    from zigzag.stages.mapping.temporal_mapping_generator_stage import TemporalMappingGeneratorStage
    from zigzag.stages.parser.accelerator_parser import AcceleratorParserStage
    from zigzag.stages.parser.workload_parser import WorkloadParserStage
    from zigzag.stages.results.reduce_stages import MinimalLatencyStage, SumStage
    from zigzag.stages.workload_iterator import WorkloadStage
    logging.basicConfig(level=logging.ERROR)
    cases = []
    tmp = tempfile.mkdtemp(prefix="zz_energy_fixture")
    for path in sys.argv[3:]:
        for c in json.load(open(path))["cases"]:
            wl_path = os.path.join(tmp, "workload.yaml")
            mp_path = os.path.join(tmp, "mapping.yaml")
            yaml.safe_dump([c["layer"]], open(wl_path, "w"), sort_keys=False)
            yaml.safe_dump([c["mapping"], dict(c["mapping"], name="default")], open(mp_path, "w"), sort_keys=False)
            hw_path = os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % c["hardware"])
            stages = [WorkloadParserStage, AcceleratorParserStage, SumStage, WorkloadStage, MinimalLatencyStage,
                      SpatialMappingGeneratorStage, MinimalLatencyStage, TemporalMappingGeneratorStage,
                      CostModelStage]
            main = MainStage(list_of_callables=stages, accelerator=hw_path, workload=wl_path, mapping=mp_path,
                             dump_folder=tmp, pickle_filename=os.path.join(tmp, "c.pickle"), loma_lpf_limit=6,
                             loma_show_progress_bar=False, nb_mappings_generated=3,
                             enable_mix_spatial_mapping_generation=False,
                             access_same_data_considered_as_no_access=True,
                             temporal_mapping_type=TemporalMappingType("uneven"))
            cme, _ = main.run()[0][1][0]
            alloc = {str(op): [len(level) for level in levels]
                     for op, levels in cme.temporal_mapping.mapping_dic_origin.items()}
            cases.append({"hardware": c["hardware"], "layer": c["layer"], "mapping": c["mapping"],
                          "allocation": alloc, "energy": cme.energy_total, "mac_energy": cme.mac_energy,
                          "energy_per_level": {str(op): [float(x) for x in v]
                                               for op, v in cme.mem_energy_breakdown.items()},
                          "word_accesses": {str(op): [four_way(x) for x in v]
                                            for op, v in cme.memory_word_access.items()}})
    json.dump({"zigzag": "3.8, commit 3d12a96e", "cases": cases}, open(out, "w"), indent=1, default=float)


if __name__ == "__main__":
    main()
