package org.edgenn.train.quant;

import org.edgenn.train.data.BatchSource;
import org.edgenn.train.loop.GraphHooks;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Post-training calibration (PTQ) and observer warm-up for QAT: runs forward passes with fake quantization
 * switched off and feeds every {@link ActivationObserver} of the graph the float activations it watches.
 */
public final class Calibration {
    private Calibration() {}

    /** All activation observers registered on the graph. */
    public static List<ActivationObserver> observers(SameDiff sd) {
        return GraphHooks.of(sd, ActivationObserver.class);
    }

    /**
     * Calibrates all observers on up to {@code maxBatches} batches of epoch 0 of {@code data}; batch features
     * feed the placeholders {@code inputs} in order. Fake quantization is disabled during calibration and
     * enabled afterwards. Returns the number of batches used.
     */
    /** The graph's observer named {@code name}, or null (also for a null name). */
    public static ActivationObserver observer(SameDiff sd, String name) {
        if (name == null) return null;
        for (ActivationObserver o : observers(sd)) if (o.name().equals(name)) return o;
        return null;
    }

    public static int run(SameDiff sd, BatchSource data, List<String> inputs, int maxBatches) {
        List<ActivationObserver> obs = observers(sd);
        if (obs.isEmpty()) return 0;
        String[] names = obs.stream().map(ActivationObserver::observedVariable).distinct().toArray(String[]::new);
        FakeQuant.setEnabled(sd, false);
        int n = Math.min(maxBatches, data.batchesPerEpoch());
        try {
            for (int b = 0; b < n; b++) {
                MultiDataSet mds = data.batch(0, b);
                Map<String, INDArray> ph = new HashMap<>();
                for (int i = 0; i < inputs.size(); i++) ph.put(inputs.get(i), mds.getFeatures(i));
                Map<String, INDArray> out = sd.output(ph, names);
                for (ActivationObserver o : obs) o.update(out.get(o.observedVariable()));
            }
        } finally {
            FakeQuant.setEnabled(sd, true);
        }
        return n;
    }
}
