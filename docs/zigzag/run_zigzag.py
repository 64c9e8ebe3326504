#!/usr/bin/python3
# Runs ZigZag (checked out at $ZIGZAG, default /tmp/zz; stubs for missing Debian modules at $ZZSTUBS) on
# WORKLOAD HW MAPPING OPT OUTDIR [LPF]; writes OUTDIR/summary.json with per-layer results and the wall time.
# Runs ZigZag's default pipeline (as zigzag/api.py builds it) without the plotting stage. Also writes
# OUTDIR/mapping.yaml: ZigZag's chosen mapping of every layer in its own mapping-file format (spatial_mapping per
# array dimension, temporal_ordering innermost first), which `edgenn map --zigzag-mapping` costs with EdgeNN's model.
import sys, time, json, logging
import os
sys.path.insert(0, os.environ.get("ZZSTUBS", "/tmp/zzstubs")); sys.path.insert(0, os.environ.get("ZIGZAG", "/tmp/zz"))
from zigzag.mapping.temporal_mapping import TemporalMappingType
from zigzag.stages.evaluation.cost_model_evaluation import CostModelStage
from zigzag.stages.main import MainStage
from zigzag.stages.mapping.spatial_mapping_generation import SpatialMappingGeneratorStage
from zigzag.stages.mapping.temporal_mapping_generator_stage import TemporalMappingGeneratorStage
from zigzag.stages.parser.accelerator_parser import AcceleratorParserStage
from zigzag.stages.parser.workload_parser import WorkloadParserStage
from zigzag.stages.results.reduce_stages import MinimalEDPStage, MinimalEnergyStage, MinimalLatencyStage, SumStage
from zigzag.stages.workload_iterator import WorkloadStage
logging.basicConfig(level=logging.WARNING)
workload, hw, mapping, opt, out = sys.argv[1:6]
os.makedirs(out, exist_ok=True)
lpf = int(sys.argv[6]) if len(sys.argv) > 6 else 6
opt_stage = {"energy": MinimalEnergyStage, "latency": MinimalLatencyStage, "EDP": MinimalEDPStage}[opt]
stages = [WorkloadParserStage, AcceleratorParserStage, SumStage, WorkloadStage, opt_stage,
          SpatialMappingGeneratorStage, opt_stage, TemporalMappingGeneratorStage, CostModelStage]
t0 = time.time()
main = MainStage(list_of_callables=stages, accelerator=hw, workload=workload, mapping=mapping, dump_folder=out,
                 pickle_filename=out + "/cmes.pickle", loma_lpf_limit=lpf, loma_show_progress_bar=False,
                 nb_mappings_generated=3, enable_mix_spatial_mapping_generation=False,
                 access_same_data_considered_as_no_access=True,
                 temporal_mapping_type=TemporalMappingType("uneven"))
cmes = main.run()
dt = time.time() - t0
res = {"seconds": dt, "energy": cmes[0][0].energy_total, "latency": cmes[0][0].latency_total2, "layers": []}
for cme, extra in cmes[0][1]:
    L = {"layer": str(cme.layer), "energy": cme.energy_total, "mac_energy": cme.mac_energy,
         "mem_energy": cme.mem_energy, "latency": cme.latency_total2, "ideal": cme.ideal_temporal_cycle,
         "spatial": str(cme.spatial_mapping), "temporal": str(cme.temporal_mapping)}
    for attr in ["mem_energy_breakdown", "memory_word_access", "mem_energy_breakdown_further"]:
        try:
            L[attr] = {str(k): [str(x) for x in v] for k, v in getattr(cme, attr).items()}
        except Exception as e:
            L[attr] = repr(e)
    try:
        L["temporal_mapping"] = {str(k): [[str(x) for x in lvl] for lvl in v] for k, v in cme.temporal_mapping.mapping_dic_stationary.items()}
    except Exception as e:
        L["temporal_mapping"] = repr(e)
    res["layers"].append(L)
json.dump(res, open(out + "/summary.json", "w"), indent=1, default=str)
import yaml
entries = []
for cme, extra in cmes[0][1]:
    sm = {str(oa): ["%s, %d" % (d, int(round(f))) for d, f in single.items()] for oa, single in cme.layer.spatial_mapping.data.items()}
    # every operand's levels partition the same loop order: W's (or the first operand's) levels, innermost first
    tm = cme.temporal_mapping.mapping_dic_origin
    op = next(iter(tm))
    order = [[str(d), int(round(f))] for level in tm[op] for d, f in level]
    entries.append({"name": cme.layer.name, "spatial_mapping": sm, "temporal_ordering": order,
                    "memory_operand_links": {"O": "O", "W": "I2", "I": "I1"}})
yaml.safe_dump(entries, open(out + "/mapping.yaml", "w"), sort_keys=False)
print("ZIGZAG seconds %.1f energy %.6e latency %.6e" % (dt, res["energy"], res["latency"]))
