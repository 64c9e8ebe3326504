package org.edgenn.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import org.edgenn.train.data.BatchSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The held-out examples of a network's train block, taken from its generated trainer (so verification sees the
 * data the trainer evaluated on): the first input and the first label of each example, flattened row-major in the
 * network's logical layout (images {@code [C, H, W]}).
 */
final class HeldOutExamples {
    record Example(float[] input, float[] label) {
    }

    private HeldOutExamples() {
    }

    /**
     * Up to {@code limit} examples, in the trainer's order.
     *
     * @throws org.edgenn.train.data.DataException (or another exception of the trainer) when the data cannot be opened
     */
    static List<Example> of(Object trainer, int limit) throws Exception {
        try {
            trainer.getClass().getMethod("openData").invoke(trainer);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        BatchSource data = (BatchSource) trainer.getClass().getField("heldOutData").get(trainer);
        List<Example> out = new ArrayList<>();
        for (int b = 0; b < data.batchesPerEpoch() && out.size() < limit; b++) {
            MultiDataSet m = data.batch(0, b);
            float[][] inputs = rows(m.getFeatures(0));
            float[][] labels = rows(m.getLabels(0));
            for (int i = 0; i < inputs.length && out.size() < limit; i++) {
                out.add(new Example(inputs[i], labels[i]));
            }
        }
        return out;
    }

    private static float[][] rows(INDArray batch) {
        int n = (int) batch.size(0);
        int per = (int) (batch.length() / n);
        float[] all = Nd4j.toFlattened('c', batch.castTo(DataType.FLOAT)).toFloatVector();
        float[][] rows = new float[n][per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, i * per, rows[i], 0, per);
        }
        return rows;
    }
}
