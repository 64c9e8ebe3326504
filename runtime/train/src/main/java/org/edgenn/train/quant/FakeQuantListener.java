package org.edgenn.train.quant;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SameDiff listener behind {@link FakeQuant}: after a fake-quant node's op ({@code x · 1}) has run, it hands the
 * fresh output array to the node's {@link Quantizer}, which observes it and/or replaces it in place by {@code q(x)}.
 * SameDiff passes a graph's listeners to every execution (output, eval, gradients), so the forward value of a node
 * is {@code q(x)} however the graph is run, while its gradient stays the one of {@code x · 1}.
 */
final class FakeQuantListener extends BaseListener {
    /** What a fake-quant node does with its freshly computed output. */
    interface Quantizer {
        /** {@code values} is the node's output (a copy of its input); quantize it in place when {@code quantize}. */
        void apply(INDArray values, boolean quantize);
    }

    private final Map<String, Quantizer> nodes = new ConcurrentHashMap<>();
    private volatile boolean enabled = true;

    void register(String outputVariable, Quantizer q) {
        nodes.put(outputVariable, q);
    }

    void setEnabled(boolean on) { enabled = on; }

    boolean isEnabled() { return enabled; }

    @Override public boolean isActive(Operation operation) { return true; }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
        List<String> outs = op.getOutputsOfOp();
        if (outs == null || outs.size() != 1) return;
        Quantizer q = nodes.get(outs.get(0));
        if (q != null) q.apply(outputs[0], enabled);
    }
}
