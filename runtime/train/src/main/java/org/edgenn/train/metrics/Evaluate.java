package org.edgenn.train.metrics;

import org.edgenn.train.data.BatchSource;
import org.edgenn.train.loop.NativeMemory;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out evaluation of a graph output over a {@link BatchSource} (epoch 0, all batches). Batch features feed
 * the trainer's input placeholders (taken from the graph's training config unless given); the first label is
 * the target. Whatever fake-quant state the graph is in is what gets measured (QAT on = simulated int8).
 */
public final class Evaluate {
    private Evaluate() {}

    public static double nmseDb(SameDiff sd, BatchSource data, String output) {
        return nmseDb(sd, data, inputsOf(sd), output);
    }

    public static double nmseDb(SameDiff sd, BatchSource data, List<String> inputs, String output) {
        double err = 0, en = 0;
        for (int b = 0; b < data.batchesPerEpoch(); b++) {
            MultiDataSet m = data.batch(0, b);
            INDArray p = run(sd, m, inputs, output);
            err += Metrics.sqErr(p, m.getLabels(0));
            en += Metrics.energy(m.getLabels(0));
        }
        return Metrics.toDb(err / en);
    }

    public static double accuracy(SameDiff sd, BatchSource data, String logits) {
        return accuracy(sd, data, inputsOf(sd), logits);
    }

    public static double accuracy(SameDiff sd, BatchSource data, List<String> inputs, String logits) {
        long c = 0, n = 0;
        for (int b = 0; b < data.batchesPerEpoch(); b++) {
            MultiDataSet m = data.batch(0, b);
            INDArray p = run(sd, m, inputs, logits);
            c += Metrics.correct(p, m.getLabels(0));
            n += p.size(0);
        }
        return (double) c / n;
    }

    /** Mean PSNR (dB) over all examples, computed from the pooled MSE, for [0, peak] images. */
    public static double psnr(SameDiff sd, BatchSource data, String output, double peak) {
        List<String> inputs = inputsOf(sd);
        double err = 0;
        long n = 0;
        for (int b = 0; b < data.batchesPerEpoch(); b++) {
            MultiDataSet m = data.batch(0, b);
            INDArray p = run(sd, m, inputs, output);
            err += Metrics.sqErr(p, m.getLabels(0));
            n += m.getLabels(0).length();
        }
        return 10 * Math.log10(peak * peak / (err / n));
    }

    public static INDArray run(SameDiff sd, MultiDataSet m, List<String> inputs, String output) {
        NativeMemory.afterStep();   // the previous batch's buffers are garbage: stay under the budget
        Map<String, INDArray> ph = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) ph.put(inputs.get(i), m.getFeatures(i));
        return sd.output(ph, output).get(output);
    }

    private static List<String> inputsOf(SameDiff sd) {
        TrainingConfig c = sd.getTrainingConfig();
        if (c == null || c.getDataSetFeatureMapping() == null)
            throw new IllegalStateException("graph has no training config; pass the input placeholder names");
        return c.getDataSetFeatureMapping();
    }
}
