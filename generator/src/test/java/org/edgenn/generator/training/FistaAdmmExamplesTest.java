package org.edgenn.generator.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.graph.Program;
import org.edgenn.train.classic.Lasso;
import org.edgenn.train.data.SparseCoding;
import org.edgenn.train.quant.FakeQuant;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The unrolled FISTA and ADMM examples (several loop-carried states, step-dependent constants, A and its tied
 * transpose A^T) built by their generated trainers with the classical constants and no training compute the classical
 * iterates: every step's state equals {@code classic.Lasso}'s FISTA / ADMM iterate (plain double Java) to float
 * tolerance, on the trainer's own A and held-out codes. The same comparison against ISTA's iterates fails, so the
 * tolerance separates the algorithms.
 */
class FistaAdmmExamplesTest {

    private record Run(SparseCoding problem, double[][] y, Map<String, INDArray> out) {}

    /** Builds the example's graph untrained and evaluates {@code names} on 4 held-out measurements of its problem. */
    private static Run run(String file, String network, List<String> names) throws Exception {
        Program p = Lowered.example(file);
        GeneratedTrainer g = Generated.trainer(p, network);
        Class<?> c = Generated.compile(g).load(g.qualifiedName());
        Object t = c.getConstructor().newInstance();
        SameDiff sd = (SameDiff) c.getField("sd").get(t);
        c.getMethod("build", SameDiff.class).invoke(t, sd);
        FakeQuant.setEnabled(sd, false);   // the float network (the compress block's int8 nodes are the identity)
        SparseCoding problem = (SparseCoding) c.getMethod("problem").invoke(t);
        MultiDataSet b = problem.heldOut(4, 4, 11).batch(0, 0);
        Map<String, INDArray> out = sd.output(Map.of("y", b.getFeatures(0), "x_true", b.getLabels(0)), names.toArray(String[]::new));
        return new Run(problem, b.getFeatures(0).castTo(DataType.DOUBLE).toDoubleMatrix(), out);
    }

    /** Largest |network − reference| over samples, relative to the reference's largest magnitude. */
    private static double relativeError(INDArray net, double[][] reference) {
        double err = 0, scale = 1e-12;
        for (int s = 0; s < reference.length; s++) {
            for (int i = 0; i < reference[s].length; i++) {
                err = Math.max(err, Math.abs(net.getDouble(s, i) - reference[s][i]));
                scale = Math.max(scale, Math.abs(reference[s][i]));
            }
        }
        return err / scale;
    }

    private static double[][] iterate(double[][][] perSample, int k) {
        double[][] r = new double[perSample.length][];
        for (int s = 0; s < perSample.length; s++) r[s] = perSample[s][k];
        return r;
    }

    @Test
    void unrolledFistaWithClassicalConstantsComputesFistasIterates() throws Exception {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < 16; k++) names.add("xn_" + k);
        Run r = run("fista/fista.edgenn", "Fista", names);
        Lasso lasso = new Lasso(r.problem().dictionary().castTo(DataType.DOUBLE).toDoubleMatrix());
        double[][][] fista = new double[4][][], ista = new double[4][][];
        for (int s = 0; s < 4; s++) {
            fista[s] = lasso.fista(r.y()[s], 0.05, 16);
            ista[s] = lasso.ista(r.y()[s], 0.05, 16);
        }
        for (int k = 0; k < 16; k++) {
            double e = relativeError(r.out().get("xn_" + k), iterate(fista, k + 1));
            assertTrue(e < 1e-4, "step " + k + ": relative error " + e);
        }
        double vsIsta = relativeError(r.out().get("xn_15"), iterate(ista, 16));
        assertTrue(vsIsta > 1e-2, "FISTA's 16th iterate must differ from ISTA's: " + vsIsta);
    }

    @Test
    void unrolledAdmmWithClassicalConstantsComputesAdmmsIterates() throws Exception {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < 16; k++) names.add("z_" + k);
        Run r = run("admm/admm.edgenn", "Admm", names);
        Lasso lasso = new Lasso(r.problem().dictionary().castTo(DataType.DOUBLE).toDoubleMatrix());
        double[][][] admm = new double[4][][], ista = new double[4][][];
        for (int s = 0; s < 4; s++) {
            admm[s] = lasso.admm(r.y()[s], 0.1, 2.0, 16);
            ista[s] = lasso.ista(r.y()[s], 0.1, 16);
        }
        for (int k = 0; k < 16; k++) {
            double e = relativeError(r.out().get("z_" + k), iterate(admm, k + 1));
            assertTrue(e < 1e-4, "step " + k + ": relative error " + e);
        }
        assertEquals(16, r.out().size());
        double vsIsta = relativeError(r.out().get("z_15"), iterate(ista, 16));
        assertTrue(vsIsta > 1e-2, "ADMM's 16th iterate must differ from ISTA's: " + vsIsta);
    }
}
