package examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.runtime.hw.LayerCheck;
import org.edgenn.runtime.quant.QuantParams;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the example tests measure and check, each in one place. */
public final class Checks {
    /** The hardware model of Tiny16, the examples' target: int8 MACs into int32 accumulators (targets/tiny16.edgenn). */
    public static final FunctionalModel TINY16 = new FunctionalModel(AcceleratorArithmetic.int32("Tiny16"));

    private Checks() {
    }

    /** After a run of {@code net}: every layer, and the chain of layers, equal the hardware model bit for bit. */
    public static void equalsHardwareModel(Int8Network net) {
        LayerCheck.Report report = LayerCheck.check(net, TINY16);
        assertTrue(report.ok(), () -> net.name() + ": " + report.firstFailure().message());
        assertEquals(net.layers().size(), report.layers().size());
    }

    /** {@code 10·log10(Σ(x − ref)² / Σref²)} over all samples: 0 dB for an all-zero {@code x}. */
    public static double nmseDb(float[][] x, float[][] ref) {
        double err = 0;
        double energy = 0;
        for (int s = 0; s < ref.length; s++) {
            for (int i = 0; i < ref[s].length; i++) {
                double d = x[s][i] - ref[s][i];
                err += d * d;
                energy += (double) ref[s][i] * ref[s][i];
            }
        }
        return 10 * Math.log10(err / energy);
    }

    /**
     * {@code x} limited to what the int8 output can hold, {@code [(−128 − zp)·s, (127 − zp)·s]}: the float network as
     * seen through the artifact's output quantization, the reference for int8 outputs.
     */
    public static float[][] clipped(float[][] x, QuantParams output) {
        float lo = (-128 - output.zeroPoint()) * output.scale();
        float hi = (127 - output.zeroPoint()) * output.scale();
        float[][] r = new float[x.length][];
        for (int s = 0; s < x.length; s++) {
            r[s] = new float[x[s].length];
            for (int i = 0; i < x[s].length; i++) {
                r[s][i] = Math.min(hi, Math.max(lo, x[s][i]));
            }
        }
        return r;
    }

    /** One float row per sample of {@code a} ({@code [batch, ...]}, flattened row-major as the .edgenn shapes are). */
    public static float[][] rows(INDArray a) {
        float[][] r = new float[(int) a.size(0)][];
        for (int s = 0; s < r.length; s++) {
            r[s] = a.slice(s).dup('c').reshape(-1).toFloatVector();
        }
        return r;
    }
}
