package org.edgenn.generator.ops;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Concat;
import org.edgenn.runtime.cost.Workload;

/** {@code concat} along the channel axis: its own quantization, each input rescaled to it. */
public final class ConcatTraits implements OpTraits<Concat> {
    @Override
    public Class<Concat> opClass() {
        return Concat.class;
    }

    @Override
    public QuantRole quantRole(Concat op) {
        return QuantRole.OBSERVED;
    }

    /** A view: producers write into the concatenated buffer. */
    @Override
    public Workload workload(Concat op, Node n, WorkloadBits bits) {
        return null;
    }

    @Override
    public void emitTraining(Concat op, TrainingEmission out) {
        List<String> ins = new ArrayList<>();
        for (int i = 0; i < out.inputCount(); i++) {
            ins.add(out.input(i));
        }
        out.line(out.head() + "sd.concat(" + out.name() + ", 1, " + String.join(", ", ins) + ");" + out.comment());
    }
}
