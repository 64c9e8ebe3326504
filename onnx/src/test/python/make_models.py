"""Generates the small PyTorch-exported ONNX models of the importer's tests (run once; the .onnx files are checked in).

Run with Debian's python3-torch (1.13) and python3-onnx:  /usr/bin/python3 make_models.py ../resources/onnx/torch
Besides each model it writes <name>.fused.json: the convolution weights and biases after folding batch norm, computed
by torch.nn.utils.fusion.fuse_conv_bn_eval (PyTorch's own folding: the tests' independent reference), and the
model's output on a fixed input (ONNX Runtime is the other reference, run by the tests).
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.fusion import fuse_conv_bn_eval


class TinyCnn(nn.Module):
    """Conv with groups and dilation, batch norm, ReLU, ReLU6 (Clip), pooling, Add, Mul, Concat, Resize,
    DepthToSpace, Flatten, Gemm."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.grouped = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=2)
        self.branch = nn.Conv2d(8, 8, 1, bias=False)
        self.expand = nn.Conv2d(16, 16, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 10)

    def forward(self, x):
        x = F.relu(self.bn(self.stem(x)))                 # [8, 16, 16]
        x = F.max_pool2d(x, 2)                            # [8, 8, 8]
        g = F.relu6(self.grouped(x))
        b = self.branch(x)
        s = g + b
        m = s * g - b
        c = torch.cat([s, m], dim=1)                      # [16, 8, 8]
        c = F.avg_pool2d(c, 2)                            # [16, 4, 4]
        c = F.interpolate(c, scale_factor=2, mode="nearest")   # [16, 8, 8]
        e = F.pixel_shuffle(self.expand(c), 2)            # [4, 16, 16]
        e = F.max_pool2d(e, 2)                            # [4, 8, 8]
        return self.fc(torch.flatten(e, 1))


class Mlp(nn.Module):
    """Reshape, Gemm, ReLU, Sub: a vector network."""

    def __init__(self):
        super().__init__()
        self.a = nn.Linear(12, 16)
        self.b = nn.Linear(16, 4)

    def forward(self, x):
        h = F.relu(self.a(x.reshape(1, 12)))          # x: [1, 3, 2, 2]
        return self.b(h) - self.b(h) * 0.5


def export(model, name, shape, out_dir, fused):
    torch.manual_seed(0)
    model.eval()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):   # non-trivial statistics, so that folding matters
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    x = torch.rand(*shape, generator=torch.Generator().manual_seed(1))
    torch.onnx.export(model, x, f"{out_dir}/{name}.onnx", opset_version=13, input_names=["input"],
                      output_names=["output"], do_constant_folding=False)
    ref = {"input": x.flatten().tolist(), "output": model(x).detach().flatten().tolist(), "fused": {}}
    for conv_name, bn_name in fused:
        conv, bn = getattr(model, conv_name), getattr(model, bn_name)
        f = fuse_conv_bn_eval(conv, bn)
        # the unfused parameters too: the tests rebuild Conv -> BatchNormalization from them (PyTorch's exporter
        # folds batch norm itself in eval mode) and compare the importer's folding with PyTorch's
        ref["fused"][conv_name] = {"weight": f.weight.detach().flatten().tolist(), "bias": f.bias.detach().flatten().tolist(),
                                   "conv_weight": conv.weight.detach().flatten().tolist(), "conv_bias": conv.bias.detach().flatten().tolist(),
                                   "weight_shape": list(conv.weight.shape), "bn_scale": bn.weight.detach().tolist(),
                                   "bn_bias": bn.bias.detach().tolist(), "bn_mean": bn.running_mean.tolist(),
                                   "bn_var": bn.running_var.tolist(), "bn_eps": bn.eps}
    with open(f"{out_dir}/{name}.fused.json", "w") as fh:
        json.dump(ref, fh)


if __name__ == "__main__":
    out = sys.argv[1]
    torch.manual_seed(0)
    export(TinyCnn(), "tiny_cnn", (1, 3, 16, 16), out, [("stem", "bn")])
    torch.manual_seed(0)
    export(Mlp(), "mlp", (1, 3, 2, 2), out, [])
