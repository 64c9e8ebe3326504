package org.edgenn.generator.inference;

import java.io.IOException;
import java.nio.file.Path;
import org.edgenn.runtime.artifact.SafetensorsReader;

/**
 * Test reference: LISTA in plain float arithmetic, {@code b = We·y; x_0 = 0; x_{k+1} = soft(b + S_k·x_k, θ_k)}, with the
 * weights an artifact holds dequantized ({@code q · scale} of each output channel), read straight from the safetensors
 * file in the training layout {@code [in, out]} (independent of the runtime's artifact reader and layouts).
 */
final class FloatLista {
    final float[][] we;
    final float[][][] s;
    final float[] theta;

    FloatLista(float[][] we, float[][][] s, float[] theta) {
        this.we = we;
        this.s = s;
        this.theta = theta;
    }

    static FloatLista read(Path artifact, int m, int n, int steps) throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(artifact)) {
            float[][][] s = new float[steps][][];
            float[] theta = new float[steps];
            for (int k = 0; k < steps; k++) {
                s[k] = dequantize(r, "S_" + k + "_weight", n, n);
                theta[k] = r.readFloat32("theta_" + k)[0];
            }
            return new FloatLista(dequantize(r, "We_weight", m, n), s, theta);
        }
    }

    /** {@code [out][in]} real weights of a dense layer stored {@code [in, out]} int8 with per-output scales. */
    static float[][] dequantize(SafetensorsReader r, String name, int in, int out) throws IOException {
        byte[] q = r.readInt8(name);
        float[] scale = r.readFloat32(name + ".scale");
        float[][] w = new float[out][in];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                w[o][i] = q[i * out + o] * scale[scale.length == 1 ? 0 : o];
            }
        }
        return w;
    }

    /** The output and, per step k, {@code b}, {@code S_k·x_k} and {@code b + S_k·x_k} (for calibration). */
    float[] run(float[] y, Observer observer) {
        float[] b = mul(we, y);
        observer.see("We", b);
        float[] x = new float[s[0].length];
        for (int k = 0; k < s.length; k++) {
            float[] sx = mul(s[k], x);
            observer.see("S_" + k, sx);
            float[] sum = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                sum[i] = b[i] + sx[i];
            }
            observer.see("x_" + k + "_add", sum);
            for (int i = 0; i < x.length; i++) {
                float mag = Math.max(Math.abs(sum[i]) - theta[k], 0);
                x[i] = Math.copySign(mag, sum[i]);
            }
        }
        return x;
    }

    interface Observer {
        Observer NONE = (node, v) -> { };

        void see(String node, float[] values);
    }

    private static float[] mul(float[][] w, float[] x) {
        float[] r = new float[w.length];
        for (int o = 0; o < w.length; o++) {
            double acc = 0;
            for (int i = 0; i < x.length; i++) {
                acc += w[o][i] * x[i];
            }
            r[o] = (float) acc;
        }
        return r;
    }
}
