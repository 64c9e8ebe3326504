package org.edgenn.generator.mapping.bench;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.runtime.cost.Workload;

/**
 * ResNet-18 (He et al. 2016, ImageNet 224x224, batch 1) as workloads, built in code until the {@code .edgenn}
 * version lands: conv1, max pool, 8 basic blocks (two 3x3 convs, a 1x1 stride-2 projection where the shape
 * changes, a residual add), global average pool, fc. int8 weights/activations, int32 accumulators.
 */
public final class ResNet18 {
    private ResNet18() {
    }

    public static List<Workload> layers() {
        return layers(true);
    }

    /**
     * @param withNonMac also include pooling and residual adds (ZigZag's resnet18.yaml has the two pools but
     *                   no adds; use {@code false} to compare conv/fc layers only)
     */
    public static List<Workload> layers(boolean withNonMac) {
        Workload.Precision p = Workload.Precision.int8(32);
        List<Workload> l = new ArrayList<>();
        l.add(Workload.conv("conv1", 1, 64, 3, 112, 112, 7, 7, 2, 3, p));
        if (withNonMac) {
            l.add(Workload.pool("maxpool", 1, 64, 56, 56, 3, 3, 2, 1, true, 8, 32));
        }
        int in = 64;
        int size = 56;
        int[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < 4; stage++) {
            int out = widths[stage];
            for (int block = 0; block < 2; block++) {
                boolean down = stage > 0 && block == 0;
                int s = down ? 2 : 1;
                int o = size / s;
                String name = "layer" + (stage + 1) + "." + block;
                l.add(Workload.conv(name + ".conv1", 1, out, in, o, o, 3, 3, s, 1, p));
                l.add(Workload.conv(name + ".conv2", 1, out, out, o, o, 3, 3, 1, 1, p));
                if (down) {
                    l.add(Workload.conv(name + ".downsample", 1, out, in, o, o, 1, 1, 2, 0, p));
                }
                if (withNonMac) {
                    l.add(Workload.elementwise(name + ".add", 1, out, o, o, 8));
                }
                in = out;
                size = o;
            }
        }
        if (withNonMac) {
            l.add(Workload.pool("avgpool", 1, 512, 1, 1, 7, 7, 1, 0, false, 8, 32));
        }
        l.add(Workload.dense("fc", 1, 1000, 512, p));
        return l;
    }
}
