package org.edgenn.generator.ops;

import org.edgenn.ir.Shape;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Upsample;
import org.edgenn.runtime.cost.Workload;

/** {@code upsample}: nearest (data movement, keeps the quantization) or bilinear (a fixed filter, observed). */
public final class UpsampleTraits implements OpTraits<Upsample> {
    @Override
    public Class<Upsample> opClass() {
        return Upsample.class;
    }

    @Override
    public QuantRole quantRole(Upsample op) {
        return op.mode() == Upsample.Mode.NEAREST ? QuantRole.PRESERVES : QuantRole.OBSERVED;
    }

    @Override
    public Workload workload(Upsample op, Node n, WorkloadBits bits) {
        return Workloads.pointwise(n, bits);
    }

    @Override
    public void emitTraining(Upsample op, TrainingEmission out) {
        Shape x = out.inputShape(0);
        if (op.mode() == Upsample.Mode.BILINEAR) {
            out.line(out.head() + "MoreOps.upsampleBilinear(sd, " + out.name() + ", " + out.input(0) + ", " + op.factor() + ", " + x.dim(0) + ", "
                    + x.dim(1) + ", " + x.dim(2) + ");" + out.comment());
        } else {
            out.line(out.head() + "MoreOps.upsampleNearest(sd, " + out.name() + ", " + out.input(0) + ", " + op.factor() + ");" + out.comment());
        }
    }
}
