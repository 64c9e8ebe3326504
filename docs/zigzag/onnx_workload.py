#!/usr/bin/python3
"""The Conv and Gemm layers of a graph-only ONNX model, as ZigZag's own ONNX parser reads them, written in ZigZag's
workload YAML format, so that both tools map exactly the layers ZigZag sees (names, loop sizes, strides, groups:
a depthwise layer is G = channels with K = C = 1, ZigZag's convention).

ZigZag's ONNX parser builds each layer from a user-format dictionary (ConvParser / GemmParser
.get_layer_node_user_format); this script records those dictionaries while ZigZag parses the model and writes them
unchanged, except that every layer stands alone (operand_source is the layer itself: neither tool fuses layers in the
referee) and `padding` / `pr_loop_*` are left out (ZigZag's YAML loader and EdgeNN count inputs on the padded plane
either way: docs/mapping.md, "Padding").

usage: onnx_workload.py ZIGZAG_DIR MODEL.onnx MAPPING.yaml > WORKLOAD.yaml
  (ZigZag 3.8 at commit 3d12a96e, Debian's python3 packages, stubs in docs/zigzag/stubs)
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    zigzag, model, mapping = sys.argv[1:4]
    sys.path.insert(0, os.path.join(HERE, "stubs"))
    sys.path.insert(0, zigzag)
    import logging
    import yaml
    from zigzag.parser.onnx.conv_parser import ConvParser
    from zigzag.parser.onnx.gemm_parser import GemmParser
    from zigzag.parser.onnx.onnx_model_parser import ONNXModelParser
    logging.basicConfig(level=logging.ERROR)
    seen = []

    def recording(parser_class):
        original = parser_class.get_layer_node_user_format

        def wrapper(self, *args, **kwargs):
            data = original(self, *args, **kwargs)
            seen.append(dict(data))
            return data
        return wrapper

    ConvParser.get_layer_node_user_format = recording(ConvParser)
    GemmParser.get_layer_node_user_format = recording(GemmParser)
    ONNXModelParser(model, mapping).run()
    layers = []
    for data in seen:
        layer = {k: v for k, v in data.items() if k not in ("padding", "pr_loop_dims", "pr_loop_sizes")}
        layer["operand_source"] = {"I": layer["id"]} if "W" not in layer["equation"] else \
            {"I": layer["id"], "W": layer["id"]}
        layer["operand_precision"] = {k: int(v) for k, v in layer["operand_precision"].items()}
        layers.append(layer)
    yaml.safe_dump(layers, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main()
