package org.edgenn.generator.training;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.ops.Source;
import org.edgenn.train.data.ArrayBatches;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Synthetic batches shaped like a network's inputs and labels, for tests and the trainer step benchmark. */
public final class RandomBatches {
    private RandomBatches() {
    }

    /** Random inputs in [0, 1] and labels (one-hot for class vectors of length 10, images in [0, 1]). */
    public static ArrayBatches of(Network net, int count, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<INDArray> f = new ArrayList<>();
        for (var n : net.inputs()) {
            f.add(Nd4j.rand(DataType.FLOAT, shape(count, n.shape().dims())));
        }
        List<INDArray> lab = new ArrayList<>();
        for (var n : net.sources(Source.Role.LABEL)) {
            int[] d = n.shape().dims();
            if (d.length == 1 && d[0] == 10) {
                INDArray oh = Nd4j.zeros(DataType.FLOAT, count, 10);
                for (int i = 0; i < count; i++) {
                    oh.putScalar(i, i % 10, 1f);
                }
                lab.add(oh);
            } else {
                lab.add(Nd4j.rand(DataType.FLOAT, shape(count, d)));
            }
        }
        return new ArrayBatches(f.toArray(new INDArray[0]), lab.toArray(new INDArray[0]), batch, false, seed);
    }

    private static long[] shape(int count, int[] dims) {
        long[] s = new long[dims.length + 1];
        s[0] = count;
        for (int i = 0; i < dims.length; i++) {
            s[i + 1] = dims[i];
        }
        return s;
    }
}
