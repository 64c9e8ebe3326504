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


class SmallCnn(nn.Module):
    """A classifier trained here (not random weights): where the bright 3x3 blob of a 12x12 image lies, one class per
    quadrant. Conv + batch norm, ReLU, max pooling, Conv, Flatten, Gemm: what `edgenn import-onnx` maps, fine-tunes
    with QAT and compiles to int8 in the CLI's ImportedFineTuneTest, which draws the same kind of images itself."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.mid = nn.Conv2d(8, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 6 * 6, 4)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.stem(x))), 2)   # [8, 6, 6]
        x = F.relu(self.mid(x))
        return self.fc(torch.flatten(x, 1))


def blobs(n, generator):
    """n images [1, 12, 12]: noise in [0, 0.3) and a 3x3 blob of ones inside one quadrant; the label is the quadrant
    (0 top left, 1 top right, 2 bottom left, 3 bottom right)."""
    x = torch.rand(n, 1, 12, 12, generator=generator) * 0.3
    labels = torch.randint(0, 4, (n,), generator=generator)
    pos = torch.randint(0, 4, (n, 2), generator=generator)
    for i in range(n):
        r = pos[i, 0] + 6 * (labels[i] // 2)
        c = pos[i, 1] + 6 * (labels[i] % 2)
        x[i, 0, r:r + 3, c:c + 3] = 1.0
    return x, labels


def train_small_cnn():
    torch.manual_seed(0)
    model = SmallCnn()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(2)
    model.train()
    for step in range(300):
        x, y = blobs(64, g)
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    x, y = blobs(512, torch.Generator().manual_seed(3))
    accuracy = (model(x).argmax(1) == y).float().mean().item()
    print(f"small_cnn: final training loss {loss.item():.4f}, accuracy on 512 fresh images {accuracy:.4f}")
    return model, accuracy


def export(model, name, shape, out_dir, fused, batch_norm_stats=True):
    torch.manual_seed(0)
    model.eval()
    for m in model.modules():
        if batch_norm_stats and isinstance(m, nn.BatchNorm2d):   # non-trivial statistics, so that folding matters
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
    which = sys.argv[2:] or ["tiny_cnn", "mlp", "small_cnn"]
    if "tiny_cnn" in which:
        torch.manual_seed(0)
        export(TinyCnn(), "tiny_cnn", (1, 3, 16, 16), out, [("stem", "bn")])
    if "mlp" in which:
        torch.manual_seed(0)
        export(Mlp(), "mlp", (1, 3, 2, 2), out, [])
    if "small_cnn" in which:
        # trained: its batch norm statistics are the ones training gathered
        model, _ = train_small_cnn()
        export(model, "small_cnn", (1, 1, 12, 12), out, [("stem", "bn")], batch_norm_stats=False)
