package org.edgenn.generator.inference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.edgenn.runtime.quant.QuantParams;

/** Test bridge: lets other test packages compare an int8 LISTA with {@link FloatLista}. */
public final class FloatListaAccess {
    private FloatListaAccess() {
    }

    /** Every sample's int8 output within {@code 4 + steps} output LSB of the float LISTA with the artifact's dequantized weights. */
    public static void assertTracks(Path artifact, float[][] ys, float[][] int8, int m, int n, int steps, QuantParams out) throws IOException {
        FloatLista f = FloatLista.read(artifact, m, n, steps);
        double worst = 0;
        for (int t = 0; t < ys.length; t++) {
            float[] x = f.run(ys[t], FloatLista.Observer.NONE);
            for (int i = 0; i < n; i++) {
                worst = Math.max(worst, Math.abs(int8[t][i] - x[i]));
            }
        }
        System.out.printf("trained LISTA int8 vs float: worst %.1f output LSB%n", worst / out.scale());
        assertTrue(worst <= (4 + steps) * out.scale(), "worst element " + worst / out.scale() + " output LSB");
    }
}
