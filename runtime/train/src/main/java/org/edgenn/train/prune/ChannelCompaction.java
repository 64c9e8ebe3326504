package org.edgenn.train.prune;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The export of a channel-pruned network: the trained arrays with the pruned output channels removed, and the matching
 * inputs of the layers that read them removed too, so that the artifact has the compact network's shapes (the IR's
 * {@code ChannelPruning}, which the generated inference code is planned on). Training layouts: convolution
 * {@code [kH, kW, in, out]}, dense {@code [in, out]}, bias {@code [out]}; a dense layer reading {@code C} channels
 * through {@code flatten} has {@code in = C x spatial} features, channel-major ({@code c * spatial + p}, NCHW).
 *
 * <p>The kept channels are those of the pruned weight's mask ({@link Pruning.PrunedWeight#keptChannels}); the
 * generated trainer calls {@link Pruning#finish} first so that their number is the declared one.
 */
public final class ChannelCompaction {
    private final SameDiff sd;
    private final Map<String, boolean[]> kept = new HashMap<>();
    private final Map<String, List<Gather>> gathers = new HashMap<>();

    private record Gather(int axis, boolean[] keep, int spatial) {
    }

    private ChannelCompaction(SameDiff sd) {
        this.sd = sd;
    }

    public static ChannelCompaction of(SameDiff sd) {
        return new ChannelCompaction(sd);
    }

    /** Weight {@code weight} (and {@code bias}, may be null) lose their pruned output channels. */
    public ChannelCompaction pruned(String weight, String bias) {
        Pruning.PrunedWeight p = Pruning.of(sd).stream().filter(x -> x.weight().equals(weight)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(weight + " is not channel-pruned"));
        boolean[] keep = p.keptChannels();
        kept.put(weight, keep);
        int rank = sd.getArrForVarName(weight).rank();
        add(weight, new Gather(rank - 1, keep, 1));
        if (bias != null) {
            add(bias, new Gather(0, keep, 1));
        }
        return this;
    }

    /** {@code consumer} reads the channels of {@code producer}: its input axis loses the same channels. */
    public ChannelCompaction reads(String producer, String consumer, boolean dense, int spatial) {
        boolean[] keep = kept.get(producer);
        if (keep == null) {
            throw new IllegalArgumentException("declare " + producer + " as pruned before its consumers");
        }
        add(consumer, new Gather(dense ? 0 : 2, keep, spatial));
        return this;
    }

    private void add(String name, Gather g) {
        gathers.computeIfAbsent(name, k -> new ArrayList<>()).add(g);
    }

    /** The array to export for graph variable {@code name}: compacted when pruning touches it, else the trained one. */
    public INDArray array(String name) {
        INDArray a = sd.getArrForVarName(name);
        for (Gather g : gathers.getOrDefault(name, List.of())) {
            a = gather(a, g);
        }
        return a;
    }

    /** {@code out[o, j, i] = a[o, index[j], i]} over the c-order layout, {@code o} the axes before, {@code i} after. */
    private static INDArray gather(INDArray a, Gather g) {
        long[] shape = a.shape();
        if (shape[g.axis()] != (long) g.keep().length * g.spatial()) {
            throw new IllegalStateException("axis " + g.axis() + " of " + java.util.Arrays.toString(shape) + " is not "
                    + g.keep().length + " channels x " + g.spatial());
        }
        List<Integer> index = new ArrayList<>();
        for (int c = 0; c < g.keep().length; c++) {
            if (g.keep()[c]) {
                for (int p = 0; p < g.spatial(); p++) {
                    index.add(c * g.spatial() + p);
                }
            }
        }
        long outer = 1;
        for (int d = 0; d < g.axis(); d++) outer *= shape[d];
        long inner = 1;
        for (int d = g.axis() + 1; d < shape.length; d++) inner *= shape[d];
        double[] v = a.dup('c').data().asDouble();
        int size = (int) shape[g.axis()];
        double[] out = new double[Math.toIntExact(outer * index.size() * inner)];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (int j : index) {
                long base = (o * size + j) * inner;
                for (long i = 0; i < inner; i++) out[k++] = v[(int) (base + i)];
            }
        }
        long[] newShape = shape.clone();
        newShape[g.axis()] = index.size();
        return Nd4j.create(out, newShape, 'c').castTo(a.dataType());
    }
}
