package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Activation;
import org.edgenn.ir.ops.Clamp;
import org.edgenn.ir.ops.Conv2d;
import org.edgenn.ir.ops.Dense;
import org.edgenn.ir.ops.Elementwise;
import org.edgenn.ir.ops.PixelShuffle;
import org.edgenn.ir.ops.Pool;
import org.edgenn.ir.ops.Project;
import org.edgenn.ir.ops.Shrink;
import org.edgenn.ir.ops.Upsample;
import org.edgenn.ir.spec.Compression;
import org.edgenn.runtime.cost.LayerKind;
import org.edgenn.runtime.cost.Workload;

/**
 * The loop nests of a network's inference graph, one workload per node that does work on the
 * accelerator. MAC layers map to conv/dense/depthwise nests; pooling to a pool nest; every
 * point-wise op (activations, thresholds, projections, arithmetic, up-sampling) to an element-wise
 * pass over its output, because this accelerator model does not fuse them into the producer yet.
 * Only views cost nothing: flatten, reshape and concat (producers write into the concatenated
 * buffer), and sources and constants (loaded by their first consumer).
 */
public final class IrWorkloads {
    private IrWorkloads() {
    }

    public static List<Workload> of(Network network, AcceleratorSpec accelerator) {
        Compression c = network.compression();
        int weightBits = c.weights() == null ? accelerator.macBits() : c.weights().precision().bits();
        int activationBits = c.activations() == null ? accelerator.macBits() : c.activations().precision().bits();
        Workload.Precision macs = new Workload.Precision(weightBits, activationBits, activationBits,
                accelerator.accumulatorBits());
        List<Workload> out = new ArrayList<>();
        for (Node n : network.inferenceNodes()) {
            Workload w = workload(n, macs, activationBits, accelerator.accumulatorBits());
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }

    private static Workload workload(Node n, Workload.Precision p, int activationBits, int accBits) {
        if (n.op() instanceof Dense d) {
            return Workload.dense(n.name(), 1, d.out(), d.in(), p);
        }
        if (n.op() instanceof Conv2d conv) {
            return conv(n, conv, p);
        }
        if (n.op() instanceof Pool pool) {
            var w = pool.window();
            Shape y = n.shape();
            int[] bounds = {1, y.dim(0), 1, 1, y.dim(1), y.dim(2), w.kh(), w.kw()};
            int pooled = pool.pool() == Pool.Kind.MAX ? activationBits : accBits;
            return Workload.of(n.name(), LayerKind.POOL, bounds, w.sh(), w.sw(), 1, 1, w.padding().top(),
                    w.padding().left(), new Workload.Precision(0, activationBits, activationBits, pooled));
        }
        if (n.op() instanceof Elementwise || n.op() instanceof Activation || n.op() instanceof Clamp
                || n.op() instanceof Shrink || n.op() instanceof Project || n.op() instanceof Upsample
                || n.op() instanceof PixelShuffle) {
            return pointwise(n, activationBits);
        }
        // views and values from outside: Flatten, Reshape, Concat, Source, Constant (Loss is training-only)
        return null;
    }

    private static Workload conv(Node n, Conv2d conv, Workload.Precision p) {
        var w = conv.window();
        Shape y = n.shape();
        int groups = conv.groups();
        int[] bounds = {1, groups, conv.out() / groups, conv.in() / groups, y.dim(1), y.dim(2), w.kh(), w.kw()};
        LayerKind kind = groups > 1 && conv.out() == groups && conv.in() == groups ? LayerKind.DEPTHWISE : LayerKind.CONV;
        return Workload.of(n.name(), kind, bounds, w.sh(), w.sw(), w.dh(), w.dw(), w.padding().top(),
                w.padding().left(), p);
    }

    /** One op per output element: channels on C, the rest of the shape on OY x OX. */
    private static Workload pointwise(Node n, int activationBits) {
        Shape y = n.shape();
        int channels = y.rank() == 0 ? 1 : y.dim(0);
        int oy = y.rank() >= 2 ? y.dim(1) : 1;
        int ox = y.rank() >= 3 ? y.dim(2) : 1;
        return Workload.elementwise(n.name(), 1, channels, oy, ox, activationBits);
    }
}
