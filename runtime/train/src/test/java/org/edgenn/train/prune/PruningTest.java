package org.edgenn.train.prune;

import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.export.Int8Export;
import org.edgenn.train.export.Int8Tensor;
import org.edgenn.train.loop.Progress;
import org.edgenn.train.loop.Trainer;
import org.edgenn.train.sd.Layers;
import org.edgenn.train.sd.Losses;
import org.edgenn.train.sd.Params;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PruningTest {

    @Test
    void unstructuredMaskPrunesExactlyFloorOfSparsityTimesN() {
        INDArray w = Params.gaussian(1, 1.0, 10, 7); // 70 entries
        INDArray m = Pruning.unstructuredMask(w, 0.5);
        assertEquals(35, 70 - m.sumNumber().intValue());
        double maxPruned = 0, minKept = Double.MAX_VALUE;
        float[] wv = w.data().asFloat(), mv = m.data().asFloat();
        for (int i = 0; i < wv.length; i++) {
            if (mv[i] == 0) maxPruned = Math.max(maxPruned, Math.abs(wv[i])); else minKept = Math.min(minKept, Math.abs(wv[i]));
        }
        assertTrue(maxPruned <= minKept, "only the smallest magnitudes are pruned");
        assertEquals(21, 70 - Pruning.unstructuredMask(w, 0.3).sumNumber().intValue()); // floor(0.3*70) = 21
    }

    @Test
    void channelMaskZeroesWholeOutputChannelsWithSmallestNorm() {
        INDArray w = Params.gaussian(2, 1.0, 3, 3, 2, 8);
        for (int k = 0; k < 8; k++)
            w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(k)).muli(k % 2 == 0 ? 0.1 : 5);
        INDArray m = Pruning.channelMask(w, 0.5);
        float[][] flat = m.reshape('c', 18, 8).toFloatMatrix();
        for (int k = 0; k < 8; k++) {
            float s = 0;
            for (float[] row : flat) s += row[k];
            assertEquals(k % 2 == 0 ? 0f : 18f, s, 0f, "channel " + k + " entirely pruned (even) or kept (odd)");
        }
    }

    @Test
    void gradualScheduleIsCubicAndMonotone() {
        PruneSchedule s = PruneSchedule.gradual(0.8, 10, 110, 10);
        assertEquals(0, s.sparsityAt(5));
        assertEquals(0, s.sparsityAt(10), 1e-12);
        assertEquals(0.8 * (1 - Math.pow(0.5, 3)), s.sparsityAt(60), 1e-12);
        assertEquals(0.8, s.sparsityAt(110), 1e-12);
        assertEquals(0.8, s.sparsityAt(1000), 1e-12);
        double prev = -1;
        for (int t = 0; t < 200; t++) { assertTrue(s.sparsityAt(t) >= prev); prev = s.sparsityAt(t); }
        assertTrue(s.isUpdateStep(10) && s.isUpdateStep(20) && s.isUpdateStep(110));
        assertFalse(s.isUpdateStep(15) || s.isUpdateStep(111) || s.isUpdateStep(9));
        assertThrows(IllegalArgumentException.class, () -> PruneSchedule.gradual(1.0, 0, 1, 1));
    }

    /** A dense regression net trained with Adam while gradually pruned to 50%. */
    @Test
    void masksStayEnforcedThroughOptimizerStepsAndExportHasExactZeros() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 16);
        SDVariable t = sd.placeHolder("t", DataType.FLOAT, -1, 6);
        SDVariable w = Params.glorot(sd, "w", 1, 16, 6);
        SDVariable b = Params.zeros(sd, "b", 6);
        SDVariable wp = Pruning.magnitude(sd, w, PruneSchedule.gradual(0.5, 2, 20, 3));
        SDVariable y = Layers.dense(sd, "y", x, wp, b);
        Losses.named(Losses.mse(sd, y, t), "loss");
        INDArray xs = Params.gaussian(3, 1, 256, 16);
        INDArray wTrue = Params.gaussian(4, 1, 16, 6);
        ArrayBatches data = ArrayBatches.of(xs, xs.mmul(wTrue), 32, true, 5);
        Pruning.PrunedWeight pw = Pruning.of(sd).get(0);
        List<Long> violations = new ArrayList<>();
        Trainer.TrainResult r = Trainer.on(sd).inputs("x").labels("t").loss("loss").updater(new Adam(0.05)).epochs(5)
                .progress(p -> {
                    // after every optimizer step: raw weight is zero wherever the mask is zero
                    INDArray raw = sd.getArrForVarName("w");
                    long bad = raw.mul(pw.mask().rsub(1)).neq(0).castTo(DataType.INT32).sumNumber().longValue();
                    if (bad > 0) violations.add(bad);
                }).fit(data);
        assertEquals(40, r.steps());
        assertTrue(violations.isEmpty(), "pruned weights revived by the optimizer: " + violations);
        assertEquals(0.5, pw.currentSparsity(), 1e-12);
        INDArray raw = sd.getArrForVarName("w");
        assertEquals(48, raw.eq(0).castTo(DataType.INT32).sumNumber().intValue(), "exactly floor(0.5 * 96) zeros");
        Int8Tensor q = Int8Export.quantizeWeightsPerChannel("w", raw, 8);
        byte[] qd = q.int8Data();
        float[] mask = pw.mask().dup('c').data().asFloat();
        int prunedZeros = 0;
        for (int i = 0; i < qd.length; i++) if (mask[i] == 0) { assertEquals(0, qd[i], "pruned entry " + i + " exported as 0"); prunedZeros++; }
        assertEquals(48, prunedZeros, "the exported int8 tensor has exactly the 50% pruned zeros");
        assertTrue(q.zeroFraction() >= 0.5, "plus any kept weight that rounds to 0");
        assertTrue(r.last().meanLoss() < r.epochs().get(0).meanLoss(), "the pruned net still trains");
    }

    @Test
    void structuredPruningZeroesWholeConvOutputChannelsInTrainingAndExport() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2, 6, 6);
        SDVariable w = Params.he(sd, "w", 7, 3, 3, 2, 8);
        SDVariable wp = Pruning.channels(sd, w, PruneSchedule.oneShot(0.5, 0));
        SDVariable y = Layers.conv2dSame(sd, "y", x, wp, Params.zeros(sd, "b", 8));
        Losses.named(Losses.l2sq(sd, y.sub(1.0)), "loss");
        ArrayBatches data = ArrayBatches.of(Params.gaussian(8, 1, 8, 2, 6, 6), null, 4, true, 1);
        Trainer.on(sd).inputs("x").loss("loss").updater(new Adam(0.05)).epochs(3).fit(data);
        Int8Tensor q = Int8Export.quantizeWeightsPerChannel("w", sd.getArrForVarName("w"), 8);
        byte[] d = q.int8Data();
        int zeroChannels = 0;
        for (int k = 0; k < 8; k++) {
            boolean allZero = true, anyZero = false;
            for (int i = k; i < d.length; i += 8) { allZero &= d[i] == 0; anyZero |= d[i] == 0; }
            if (allZero) zeroChannels++;
        }
        assertEquals(4, zeroChannels, "half of the 8 output channels are entirely zero");
        assertEquals(0.5, q.zeroFraction(), 0.01);
        INDArray out = sd.output(java.util.Map.of("x", Params.gaussian(9, 1, 1, 2, 6, 6)), "y").get("y");
        int deadMaps = 0;
        for (int k = 0; k < 8; k++) {
            INDArray map = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(k));
            if (map.sub(sd.getArrForVarName("b").getDouble(k)).amaxNumber().doubleValue() == 0) deadMaps++;
        }
        assertTrue(deadMaps >= 4, "pruned channels output only their bias");
    }
}
