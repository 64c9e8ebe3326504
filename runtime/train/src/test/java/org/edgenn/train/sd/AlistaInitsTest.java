package org.edgenn.train.sd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgenn.train.classic.AlistaWeight;
import org.edgenn.train.data.DataException;
import org.edgenn.train.data.SparseCoding;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code init=alista_s(γ)} and {@code init=alista_w(γ)}: one plain-LISTA step {@code S x + We y} with them equals
 * ALISTA's {@code x + γ Wᵀ(y − A x)} (computed in double from {@link AlistaWeight}), for a step size other than 1;
 * a layer of the wrong shape is an error naming the layer and both shapes.
 */
class AlistaInitsTest {

    private static final INDArray A = SparseCoding.lista(3).dictionary();   // 250 x 500, unit-norm columns

    @Test
    void listaStepWithAlistaInitsIsAlistasStep() {
        double gamma = 0.7;
        INDArray s = Inits.alistaS(A, gamma, "S", 500, 500).castTo(DataType.DOUBLE);      // IR [out, in]
        INDArray we = Inits.alistaWt(A, gamma, "We", 500, 250).castTo(DataType.DOUBLE);
        double[][] a = A.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] w = AlistaWeight.solve(a);
        java.util.Random rnd = new java.util.Random(5);
        double[] x = new double[500], y = new double[250];
        for (int j = 0; j < 500; j++) x[j] = rnd.nextDouble() < 0.1 ? rnd.nextGaussian() : 0;
        for (int i = 0; i < 250; i++) y[i] = rnd.nextGaussian();
        double[] lista = s.mmul(col(x)).add(we.mmul(col(y))).data().asDouble();
        double worst = 0;
        for (int j = 0; j < 500; j++) {
            double v = x[j];
            for (int i = 0; i < 250; i++) {
                double ax = 0;
                for (int l = 0; l < 500; l++) ax += a[i][l] * x[l];
                v += gamma * w[i][j] * (y[i] - ax);
            }
            worst = Math.max(worst, Math.abs(v - lista[j]));
        }
        assertTrue(worst < 1e-4, "largest difference " + worst);
        // the diagonal of WᵀA is 1 (ALISTA's constraint), so S's diagonal is 1 − γ
        assertEquals(1 - gamma, s.getDouble(17, 17), 1e-5);
    }

    @Test
    void wrongShapeNamesTheLayer() {
        DataException e = assertThrows(DataException.class, () -> Inits.alistaS(A, 1.0, "S[3].weight", 200, 200));
        assertEquals("S[3].weight: init=alista_s makes a dense(500 -> 500) layer for the data's 250x500 A; the layer is dense(200 -> 200)",
                e.getMessage());
        DataException f = assertThrows(DataException.class, () -> Inits.alistaWt(A, 1.0, "We.weight", 250, 500));
        assertEquals("We.weight: init=alista_w makes a dense(250 -> 500) layer for the data's 250x500 A; the layer is dense(500 -> 250)",
                f.getMessage());
    }

    private static INDArray col(double[] v) {
        return org.nd4j.linalg.factory.Nd4j.create(v, new long[] {v.length, 1}, DataType.DOUBLE);
    }
}
