package org.edgenn.generator.training;

import static org.edgenn.generator.training.TrainerWriter.dims;
import static org.edgenn.generator.training.TrainerWriter.num;
import static org.edgenn.generator.training.TrainerWriter.str;

import org.edgenn.ir.Shape;
import org.edgenn.ir.graph.Weight;
import org.edgenn.ir.spec.vocab.Initializer;

/**
 * The Java expression of a weight's initial value, one case per {@link Initializer} record (docs/training-codegen.md
 * lists them). Weights live in the training layout; IR-layout initializers go through {@code Inits.toRuntime}.
 */
final class Initializers {

    private Initializers() {
    }

    /** Runtime weight layout, the one place the generator converts IR shapes: dense [in, out], conv [kH, kW, in/g, out]. */
    static long[] runtimeShape(Shape ir) {
        int[] d = ir.dims();
        if (d.length == 2) {
            return new long[] {d[1], d[0]};
        }
        if (d.length == 4) {
            return new long[] {d[2], d[3], d[1], d[0]};
        }
        long[] r = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = d[i];
        }
        return r;
    }

    /**
     * An INDArray expression of the weight's initial value in the training layout {@code rt}.
     *
     * @param param a {@code param} (zeros by default, like biases) rather than a layer's weight (Glorot by default)
     * @param seed  the Java expression of this weight's seed ({@code seed + k})
     */
    static String expression(Weight w, boolean param, long[] rt, String seed) {
        Initializer init = w.init();
        String irDims = w.shape().rank() == 0 ? "1" : dims(w.shape());
        String rtDims = dims(rt);
        if (init == null) {
            if (w.role().equals("bias") || param) {
                return "Nd4j.zeros(DataType.FLOAT, " + rtDims + ")";
            }
            return glorot(rt, seed, w);
        }
        if (init instanceof Initializer.Constant c) {
            return "Inits.constant(" + num(c.value()) + ", " + rtDims + ")";
        }
        if (init instanceof Initializer.Zeros) {
            return "Nd4j.zeros(DataType.FLOAT, " + rtDims + ")";
        }
        if (init instanceof Initializer.Ones) {
            return "Inits.constant(1.0, " + rtDims + ")";
        }
        if (init instanceof Initializer.Identity) {
            return "Inits.toRuntime(Inits.identity(" + irDims + "))";
        }
        if (init instanceof Initializer.Normal n) {
            return "Params.gaussian(" + seed + ", " + num(n.std()) + ", " + rtDims + ")";
        }
        if (init instanceof Initializer.Uniform u) {
            return "Params.uniform(" + seed + ", " + num(u.a()) + ", " + rtDims + ")";
        }
        if (init instanceof Initializer.Glorot) {
            return glorot(rt, seed, w);
        }
        if (init instanceof Initializer.He) {
            long[] f = fans(w.shape());
            return "Params.gaussian(" + seed + ", Math.sqrt(2.0 / " + f[0] + "), " + rtDims + ")   /* he: N(0, 2/fanIn) */";
        }
        if (init instanceof Initializer.Gaussian gs) {
            return "Inits.toRuntime(Inits.gaussian(" + num(gs.sigma()) + ", " + irDims + "))";
        }
        if (init instanceof Initializer.Laplacian) {
            return "Inits.toRuntime(Inits.laplacian(" + irDims + "))";
        }
        if (init instanceof Initializer.SobelX) {
            return "Inits.toRuntime(Inits.sobelX(" + irDims + "))";
        }
        if (init instanceof Initializer.SobelY) {
            return "Inits.toRuntime(Inits.sobelY(" + irDims + "))";
        }
        if (init instanceof Initializer.Box) {
            return "Inits.toRuntime(Inits.box(" + irDims + "))";
        }
        if (init instanceof Initializer.DictionaryT) {
            return "dictionaryT()";
        }
        if (init instanceof Initializer.IstaS) {
            return "istaS()";
        }
        if (init instanceof Initializer.Dictionary) {
            return "Inits.toRuntime(Inits.dictionary(problem().dictionary()))";
        }
        if (init instanceof Initializer.AlistaW aw) {
            if (aw.gamma() == null) {
                return "Inits.toRuntime(Inits.alistaWt(problem().dictionary()))";
            }
            return "Inits.toRuntime(Inits.alistaWt(problem().dictionary(), " + num(aw.step()) + ", " + str(w.name()) + ", " + irDims + "))";
        }
        if (init instanceof Initializer.AlistaS as) {
            return "Inits.toRuntime(Inits.alistaS(problem().dictionary(), " + num(as.step()) + ", " + str(w.name()) + ", " + irDims + "))";
        }
        if (init instanceof Initializer.IstaStep) {
            return "Inits.constant(1.0 / lipschitz(), " + rtDims + ")   /* 1/L */";
        }
        if (init instanceof Initializer.IstaThreshold t) {
            return "Inits.constant(" + num(t.lambda()) + " / lipschitz(), " + rtDims + ")   /* lambda/L */";
        }
        if (init instanceof Initializer.FistaMomentum) {
            int k = stepOf(w);
            return "Inits.constant(org.edgenn.train.classic.Lasso.momentum(" + k + "), " + rtDims + ")   /* (t_" + k + " - 1)/t_" + (k + 1) + " */";
        }
        if (init instanceof Initializer.AdmmInverse a) {
            return "Inits.toRuntime(Inits.admmInverse(problem().dictionary(), " + num(a.rho()) + "))";
        }
        if (init instanceof Initializer.File f) {
            return "Inits.toRuntime(Inits.file(dataDir.resolve(" + str(f.path()) + "), " + (f.var() == null ? "null" : str(f.var())) + ", " + irDims + "))";
        }
        throw new IllegalStateException("initializer without trainer code: " + init);
    }

    /** The unrolled step of a per-step weight ({@code mom[3]}: 3; 0 for a weight shared by all steps). */
    static int stepOf(Weight w) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(\\d+)]$").matcher(w.name());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The Java expression of a threshold's initial value (a double), or null when the initializer has none. */
    static String thresholdValue(Initializer init) {
        if (init == null) {
            return "0.1";
        }
        if (init instanceof Initializer.Constant c) {
            return num(Math.max(c.value(), 1e-6));
        }
        if (init instanceof Initializer.IstaThreshold t) {
            return num(t.lambda()) + " / lipschitz()";
        }
        return null;
    }

    private static long[] fans(Shape ir) {
        int[] d = ir.dims();
        if (d.length == 2) {
            return new long[] {d[1], d[0]};
        }
        if (d.length == 4) {
            long rf = (long) d[2] * d[3];
            return new long[] {d[1] * rf, d[0] * rf};
        }
        long n = ir.size();
        return new long[] {n, n};
    }

    private static String glorot(long[] rt, String seed, Weight w) {
        long[] f = fans(w.shape());
        return "Params.uniform(" + seed + ", Math.sqrt(6.0 / (" + f[0] + " + " + f[1] + ")), " + dims(rt) + ")   /* glorot */";
    }
}
