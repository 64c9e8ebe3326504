#!/usr/bin/python3
"""Writes the conv and fc layers of EdgeNN's ResNet-18 (generator/bench ResNet18.layers(false)) in ZigZag's
workload format: int8 W and I, 32-bit partial sums, 8-bit final outputs. Usage: resnet18_workload.py > FILE"""
layers = [("conv1", 64, 3, 112, 7, 2)]
cin, size = 64, 56
for stage, cout in enumerate([64, 128, 256, 512]):
    for block in range(2):
        down = stage > 0 and block == 0
        s = 2 if down else 1
        o = size // s
        name = "layer%d.%d" % (stage + 1, block)
        layers.append((name + ".conv1", cout, cin, o, 3, s))
        layers.append((name + ".conv2", cout, cout, o, 3, 1))
        if down:
            layers.append((name + ".downsample", cout, cin, o, 1, 2))
        cin, size = cout, o
layers.append(("fc", 1000, 512, 1, 1, 1))
for i, (name, k, c, o, f, s) in enumerate(layers):
    print("- id: %d # %s" % (i, name))
    print("  operator_type: Conv")
    print("  equation: O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]")
    print("  dimension_relations: [ix=%d*ox+1*fx, iy=%d*oy+1*fy]" % (s, s))
    print("  loop_dims: [B, K, C, OY, OX, FY, FX]")
    print("  loop_sizes: [1, %d, %d, %d, %d, %d, %d]" % (k, c, o, o, f, f))
    print("  operand_precision:\n    W: 8\n    I: 8\n    O: 32\n    O_final: 8")
    print("  operand_source:\n    I: %d\n    W: %d" % (max(i - 1, 0), i))
    print()
