package org.edgenn.train.sd;

import org.edgenn.train.loop.PerGraph;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Set;

/**
 * Runs dilated convolutions (forward and backward) on libnd4j's own kernels instead of oneDNN. ND4J 1.0.0-M2.1's
 * oneDNN helper fails on a dilated convolution ("could not create a descriptor for a dilated convolution forward
 * propagation primitive", measured on ESPCN's 3x3 dilation-2 layer), while the oneDNN build is 50x faster on the
 * undilated ones (docs/training.md, "Native build"). ND4J reads its helpers switch when an op executes, so this graph
 * listener turns the helpers off just around the ops of a dilated convolution and back on after them.
 */
final class DilatedConvHelpers extends BaseListener {
    private static final PerGraph<SameDiff, DilatedConvHelpers> GRAPHS = new PerGraph<>();
    private static final Set<String> CONV_OPS = Set.of("conv2d", "conv2d_bp", "depthwise_conv2d", "depthwise_conv2d_bp");
    /** Position of dH, dW among the integer arguments of ND4J's conv2d family: kH kW sH sW pH pW dH dW same format. */
    private static final int DH = 6, DW = 7;

    private boolean restore;

    private DilatedConvHelpers() {}

    /** Attaches the listener to {@code sd} once; called by every conv layer built with a dilation above 1. */
    static void register(SameDiff sd) {
        GRAPHS.computeIfAbsent(sd, () -> {
            DilatedConvHelpers l = new DilatedConvHelpers();
            sd.addListeners(l);
            return l;
        });
    }

    @Override public boolean isActive(Operation operation) { return true; }

    static boolean dilated(DifferentialFunction f) {
        if (!(f instanceof DynamicCustomOp op) || !CONV_OPS.contains(op.opName())) return false;
        long[] ia = op.iArgs();
        return ia != null && ia.length > DW && (ia[DH] > 1 || ia[DW] > 1);
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
        if (dilated(op.getOp()) && Nd4j.getEnvironment().helpersAllowed()) {
            Nd4j.getEnvironment().allowHelpers(false);
            restore = true;
        }
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
        if (restore) {
            Nd4j.getEnvironment().allowHelpers(true);
            restore = false;
        }
    }
}
