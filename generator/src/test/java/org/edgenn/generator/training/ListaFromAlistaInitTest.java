package org.edgenn.generator.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.graph.Program;
import org.edgenn.train.classic.AlistaWeight;
import org.edgenn.train.classic.Lasso;
import org.edgenn.train.data.SparseCoding;
import org.edgenn.train.quant.FakeQuant;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Plain LISTA started with {@code init=alista_w} / {@code init=alista_s} ({@code We_k = Wᵀ}, {@code S_k = I − WᵀA})
 * computes, untrained, ALISTA's iterates without support selection: every step's state equals
 * {@code x ← soft(x + Wᵀ(y − A x), θ)} evaluated in plain double Java with W from {@code AlistaWeight.solve} (an
 * independent oracle: no ND4J, no generated code), on the trainer's own A and held-out codes. Against ISTA's iterates
 * (the papers' LISTA start Aᵀ/L) the same comparison fails, so the tolerance separates the two starts.
 */
class ListaFromAlistaInitTest {

    private static final double THETA = 0.4;   // the example's threshold init

    @Test
    void untrainedListaFromAlistaComputesAlistaIteratesWithoutSupportSelection() throws Exception {
        Program p = Lowered.example("lista/lista_from_alista.edgenn");
        GeneratedTrainer g = Generated.trainer(p, "ListaFromAlista");
        Class<?> c = Generated.compile(g).load(g.qualifiedName());
        Object t = c.getConstructor().newInstance();
        SameDiff sd = (SameDiff) c.getField("sd").get(t);
        c.getMethod("build", SameDiff.class).invoke(t, sd);
        FakeQuant.setEnabled(sd, false);
        SparseCoding problem = (SparseCoding) c.getMethod("problem").invoke(t);
        MultiDataSet b = problem.heldOut(4, 4, 11).batch(0, 0);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < 16; k++) names.add("x_" + k);
        Map<String, INDArray> out = sd.output(Map.of("y", b.getFeatures(0), "x_true", b.getLabels(0)), names.toArray(String[]::new));
        double[][] y = b.getFeatures(0).castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] a = problem.dictionary().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] w = AlistaWeight.solve(a);

        double[][] x = new double[4][a[0].length];
        double[][] reference = null;
        for (int k = 0; k < 16; k++) {
            for (int s = 0; s < 4; s++) x[s] = alistaStep(a, w, y[s], x[s]);
            double e = relativeError(out.get("x_" + k), x);
            assertTrue(e < 1e-4, "step " + k + ": relative error " + e);
            if (k == 0) reference = copy(x);
        }
        assertTrue(norm(reference) > 1, "the first iterate is not trivially zero");

        Lasso lasso = new Lasso(a);
        double[][] ista = new double[4][];
        for (int s = 0; s < 4; s++) ista[s] = lasso.ista(y[s], THETA, 16)[16];
        double vsIsta = relativeError(out.get("x_15"), ista);
        assertTrue(vsIsta > 1e-2, "the ALISTA start must differ from ISTA's iterates: " + vsIsta);
        assertEquals(16, out.size());
    }

    /** One ALISTA step without support selection, γ = 1: {@code soft(x + Wᵀ(y − A x), θ)}. */
    private static double[] alistaStep(double[][] a, double[][] w, double[] y, double[] x) {
        int m = a.length, n = a[0].length;
        double[] r = new double[m];
        for (int i = 0; i < m; i++) {
            double ax = 0;
            for (int j = 0; j < n; j++) ax += a[i][j] * x[j];
            r[i] = y[i] - ax;
        }
        double[] next = new double[n];
        for (int j = 0; j < n; j++) {
            double v = x[j];
            for (int i = 0; i < m; i++) v += w[i][j] * r[i];
            next[j] = Math.signum(v) * Math.max(Math.abs(v) - THETA, 0);
        }
        return next;
    }

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

    private static double[][] copy(double[][] v) {
        double[][] c = new double[v.length][];
        for (int i = 0; i < v.length; i++) c[i] = v[i].clone();
        return c;
    }

    private static double norm(double[][] v) {
        double s = 0;
        for (double[] r : v) for (double d : r) s += d * d;
        return Math.sqrt(s);
    }
}
