#!/usr/bin/python3
"""ZigZag's own cost model on given mappings: the reference values of ZigZagStallReferenceTest.

usage: zigzag_stall_fixtures.py ZIGZAG_DIR OUT.json (WORKLOAD.yaml HW_NAME MAPPING.yaml)...
For every (workload, hardware file shipped with ZigZag, mapping file with full temporal orderings) it runs ZigZag
3.8 (commit 3d12a96e; Debian's python3 packages, stubs in docs/zigzag/stubs) without LOMA (the orderings are
complete, so ZigZag only allocates them to its memories and costs them) and records per layer: the workload
entry, the mapping entry, ZigZag's allocation (loops per memory level per operand, innermost first, before its
stationary merge), ideal cycles, per-period stall (stall_slack_comb), on/offloading, latency and energy.
"""
import json
import os
import sys
import logging
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
STUBS = os.path.join(HERE, "..", "..", "..", "..", "docs", "zigzag", "stubs")


def main():
    zigzag, out = sys.argv[1:3]
    triples = sys.argv[3:]
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
    for i in range(0, len(triples), 3):
        wl_path, hw, mp_path = triples[i:i + 3]
        hw_path = os.path.join(zigzag, "zigzag/inputs/hardware/%s.yaml" % hw)
        workload = yaml.safe_load(open(wl_path))
        mapping = yaml.safe_load(open(mp_path))
        by_name = {m["name"]: m for m in mapping}
        if "default" not in by_name:  # ZigZag requires one; every layer here has its own entry
            mapping.append(dict(mapping[0], name="default"))
            mp_path = "/tmp/zz_fixture_mapping.yaml"
            yaml.safe_dump(mapping, open(mp_path, "w"), sort_keys=False)
        stages = [WorkloadParserStage, AcceleratorParserStage, SumStage, WorkloadStage, MinimalLatencyStage,
                  SpatialMappingGeneratorStage, MinimalLatencyStage, TemporalMappingGeneratorStage, CostModelStage]
        main = MainStage(list_of_callables=stages, accelerator=hw_path, workload=wl_path, mapping=mp_path,
                         dump_folder="/tmp/zz_fixture_dump", pickle_filename="/tmp/zz_fixture_dump/c.pickle",
                         loma_lpf_limit=6, loma_show_progress_bar=False, nb_mappings_generated=3,
                         enable_mix_spatial_mapping_generation=False, access_same_data_considered_as_no_access=True,
                         temporal_mapping_type=TemporalMappingType("uneven"))
        cmes = main.run()
        for (cme, _), layer in zip(cmes[0][1], workload):
            name = cme.layer.name
            alloc = {str(op): [len(level) for level in levels]
                     for op, levels in cme.temporal_mapping.mapping_dic_origin.items()}
            cases.append({"hardware": hw, "layer": layer, "mapping": by_name[name], "allocation": alloc,
                          "ideal": cme.ideal_temporal_cycle, "stall": cme.stall_slack_comb,
                          "onload": cme.data_onloading_cycle, "offload": cme.data_offloading_cycle,
                          "latency": cme.latency_total2, "energy": cme.energy_total})
    json.dump({"zigzag": "3.8, commit 3d12a96e", "cases": cases}, open(out, "w"), indent=1, default=float)


if __name__ == "__main__":
    main()
