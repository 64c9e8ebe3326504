package org.edgenn.train.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.train.sd.Params;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * N:M masks (checked group by group against a brute-force selection), the gradual N:M schedule, channel pruning that
 * zeroes the bias with the channel, and the compaction the export applies (checked element by element, and as a
 * forward pass: the compact network computes what the masked one does).
 */
class SparsePruningTest {

    @Test
    void twoOfFourKeepsTheTwoLargestOfEveryGroupAlongTheInputAxis() {
        INDArray w = Params.gaussian(3, 1.0, 3, 3, 8, 5); // conv [kH, kW, in, out]: groups of 4 along in (axis 2)
        INDArray m = Pruning.nmMask(w, 2, 4, 0.5);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                for (int o = 0; o < 5; o++) {
                    for (int g = 0; g < 2; g++) {
                        // brute force: the two largest |w| of the group (ties impossible with Gaussian values)
                        double[] v = new double[4];
                        for (int j = 0; j < 4; j++) v[j] = Math.abs(w.getDouble(y, x, 4 * g + j, o));
                        double[] sorted = v.clone();
                        java.util.Arrays.sort(sorted);
                        for (int j = 0; j < 4; j++) {
                            assertEquals(v[j] >= sorted[2] ? 1.0 : 0.0, m.getDouble(y, x, 4 * g + j, o), "group " + g + " position " + j);
                        }
                    }
                }
            }
        }
        INDArray dense = Params.gaussian(4, 1.0, 12, 7); // dense [in, out]: groups along in (axis 0)
        INDArray md = Pruning.nmMask(dense, 1, 4, 0.75);
        for (int o = 0; o < 7; o++) {
            for (int g = 0; g < 3; g++) {
                double kept = 0;
                for (int j = 0; j < 4; j++) kept += md.getDouble(4 * g + j, o);
                assertEquals(1.0, kept);
            }
        }
    }

    @Test
    void gradualNmPrunesTheSchedulesShareOfThePatternsCandidates() {
        INDArray w = Params.gaussian(5, 1.0, 16, 6);
        INDArray half = Pruning.nmMask(w, 2, 4, 0.25); // half-way to 2:4: half of the 48 candidates
        assertEquals(24, 96 - half.sumNumber().intValue());
        INDArray full = Pruning.nmMask(w, 2, 4, 0.5);
        assertEquals(48, 96 - full.sumNumber().intValue());
        // monotone: what is pruned half-way stays pruned at the end
        assertEquals(0, half.sub(full).lt(0).castTo(DataType.INT32).sumNumber().intValue());
    }

    @Test
    void channelPruningZeroesTheBiasOfPrunedChannelsAndFinishReachesTheTarget() {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Params.gaussian(6, 1.0, 4, 6));
        sd.var("b", Nd4j.ones(DataType.FLOAT, 6));
        Pruning.channels(sd, w, PruneSchedule.gradual(0.5, 0, 100, 10), "b");
        Pruning.finish(sd); // training stopped before the schedule's end: the export still gets the declared zeros
        Pruning.PrunedWeight p = Pruning.of(sd).get(0);
        boolean[] kept = p.keptChannels();
        int keptCount = 0;
        for (int k = 0; k < 6; k++) {
            keptCount += kept[k] ? 1 : 0;
            assertEquals(kept[k] ? 1.0 : 0.0, sd.getArrForVarName("b").getDouble(k), "bias " + k);
            assertEquals(kept[k], sd.getArrForVarName("w").getColumn(k).norm2Number().doubleValue() > 0, "weight column " + k);
        }
        assertEquals(3, keptCount);
    }

    @Test
    void compactionRemovesExactlyThePrunedChannelsAndComputesWhatTheMaskedNetworkDoes() {
        SameDiff sd = SameDiff.create();
        int spatial = 4;
        SDVariable w1 = sd.var("w1", Params.gaussian(7, 1.0, 3, 3, 2, 6));          // conv 2 -> 6
        sd.var("b1", Params.gaussian(8, 1.0, 6));
        sd.var("w2", Params.gaussian(9, 1.0, 3, 3, 6, 5));                          // conv 6 -> 5 reads w1's channels
        sd.var("w3", Params.gaussian(10, 1.0, 6 * spatial, 3));                     // dense reading them through flatten
        Pruning.channels(sd, w1, PruneSchedule.oneShot(0.5, 0), "b1");
        Pruning.finish(sd);
        boolean[] kept = Pruning.of(sd).get(0).keptChannels();
        List<Integer> keptIdx = new ArrayList<>();
        for (int k = 0; k < 6; k++) if (kept[k]) keptIdx.add(k);
        ChannelCompaction c = ChannelCompaction.of(sd).pruned("w1", "b1").reads("w1", "w2", false, 1).reads("w1", "w3", true, spatial);
        INDArray cw1 = c.array("w1"), cb1 = c.array("b1"), cw2 = c.array("w2"), cw3 = c.array("w3");
        assertArrayEquals(new long[] {3, 3, 2, 3}, cw1.shape());
        assertArrayEquals(new long[] {3}, cb1.shape());
        assertArrayEquals(new long[] {3, 3, 3, 5}, cw2.shape());
        assertArrayEquals(new long[] {3 * spatial, 3}, cw3.shape());
        for (int j = 0; j < keptIdx.size(); j++) {
            int k = keptIdx.get(j);
            assertEquals(sd.getArrForVarName("b1").getDouble(k), cb1.getDouble(j));
            for (int y = 0; y < 3; y++) for (int x = 0; x < 3; x++) {
                for (int i = 0; i < 2; i++) assertEquals(sd.getArrForVarName("w1").getDouble(y, x, i, k), cw1.getDouble(y, x, i, j));
                for (int o = 0; o < 5; o++) assertEquals(sd.getArrForVarName("w2").getDouble(y, x, k, o), cw2.getDouble(y, x, j, o));
            }
            for (int p = 0; p < spatial; p++) for (int o = 0; o < 3; o++) {
                assertEquals(sd.getArrForVarName("w3").getDouble(k * spatial + p, o), cw3.getDouble(j * spatial + p, o));
            }
        }
        // forward: relu(h W1 + b1) feeding W3 (h: random features in the w1-as-dense view), masked vs compact
        INDArray h = Params.gaussian(11, 1.0, 7, 18);
        INDArray full = Transforms.relu(h.mmul(sd.getArrForVarName("w1").reshape('c', 18, 6)).addRowVector(sd.getArrForVarName("b1")));
        INDArray compact = Transforms.relu(h.mmul(cw1.reshape('c', 18, 3)).addRowVector(cb1));
        INDArray w3dense = sd.getArrForVarName("w3").reshape('c', 6, spatial, 3).get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray cw3dense = cw3.reshape('c', 3, spatial, 3).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray yFull = full.mmul(w3dense);
        INDArray yCompact = compact.mmul(cw3dense);
        assertTrue(yFull.equalsWithEps(yCompact, 1e-5), yFull + "\n" + yCompact);
    }
}
