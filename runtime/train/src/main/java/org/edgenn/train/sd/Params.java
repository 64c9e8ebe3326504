package org.edgenn.train.sd;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * Trainable parameter creation. Shapes follow the layer conventions of {@link Layers}: dense weights are
 * {@code [in, out]}, conv weights {@code [kH, kW, inC, outC]}; the output channel is always the LAST axis.
 * All random initialisers take an explicit seed so generated trainers are reproducible.
 */
public final class Params {
    private Params() {}

    /** A trainable variable with the given initial value (copied). */
    public static SDVariable of(SameDiff sd, String name, INDArray init) {
        return sd.var(name, init.castTo(DataType.FLOAT).dup());
    }

    public static SDVariable zeros(SameDiff sd, String name, long... shape) {
        return sd.var(name, Nd4j.zeros(DataType.FLOAT, shape));
    }

    public static SDVariable constant(SameDiff sd, String name, double value, long... shape) {
        return sd.var(name, Nd4j.zeros(DataType.FLOAT, shape).addi(value));
    }

    /** Glorot/Xavier uniform: U(-a, a), a = sqrt(6 / (fanIn + fanOut)). */
    public static SDVariable glorot(SameDiff sd, String name, long seed, long... shape) {
        long[] f = fans(shape);
        double a = Math.sqrt(6.0 / (f[0] + f[1]));
        return sd.var(name, uniform(seed, a, shape));
    }

    /** He/Kaiming normal for ReLU networks: N(0, 2 / fanIn). */
    public static SDVariable he(SameDiff sd, String name, long seed, long... shape) {
        long[] f = fans(shape);
        return sd.var(name, gaussian(seed, Math.sqrt(2.0 / f[0]), shape));
    }

    static long[] fans(long... shape) {
        if (shape.length == 1) return new long[] {shape[0], shape[0]};
        long out = shape[shape.length - 1];
        long in = 1;
        for (int i = 0; i < shape.length - 1; i++) in *= shape[i];
        long receptive = in / shape[shape.length - 2];
        return new long[] {in, out * receptive};
    }

    public static INDArray uniform(long seed, double a, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) n *= s;
        float[] d = new float[Math.toIntExact(n)];
        for (int i = 0; i < d.length; i++) d[i] = (float) ((2 * r.nextDouble() - 1) * a);
        return Nd4j.create(d, shape, 'c');
    }

    public static INDArray gaussian(long seed, double std, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) n *= s;
        float[] d = new float[Math.toIntExact(n)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * std);
        return Nd4j.create(d, shape, 'c');
    }
}
