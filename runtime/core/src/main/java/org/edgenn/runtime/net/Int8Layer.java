package org.edgenn.runtime.net;

import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Movement;
import org.edgenn.runtime.kernels.Pool2d;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.kernels.SupportSelectThreshold;

import java.util.List;

/**
 * One executed step of an {@link Int8Network}: the prepared op and the buffers it read and wrote in
 * the last run. {@code name} is the IR node name (as in {@code edgenn check}'s table), {@code source}
 * its {@code file:line} in the {@code .edgenn} file.
 */
public sealed interface Int8Layer {
    String name();

    String source();

    /** Buffers read, in operand order. */
    List<byte[]> inputs();

    byte[] output();

    /** Width of the output's values: 8, or 16 (two bytes per value, {@code ActivationBytes}) for a MAC, add, shrink, support selection or table with 16-bit output. */
    default int outputBits() {
        return 8;
    }

    /** Calls the visitor's method for this layer's kind: one place per kind of behaviour (a hardware model, an exporter). */
    <R> R accept(Visitor<R> v);

    /**
     * Behaviour per layer kind, e.g. the hardware functional model's execution or an export to another runtime.
     * Adding a layer kind adds a method here, and the compiler lists every visitor that must handle it.
     */
    interface Visitor<R> {
        R mac(Mac layer);

        R sum(Sum layer);

        R shrink(Shrink layer);

        R select(Select layer);

        R clamp(Clamp layer);

        R pool(Pool layer);

        R table(Table layer);

        R move(Move layer);
    }

    /** Convolution or dense layer (a dense layer is its equivalent 1×1 convolution). */
    record Mac(String name, String source, Conv2d op, byte[] input, byte[] output) implements Int8Layer {
        public <R> R accept(Visitor<R> v) { return v.mac(this); }
        @Override public int outputBits() { return op.quant().out().bits(); }
        public List<byte[]> inputs() { return List.of(input); }
    }

    /** Element-wise add or subtract ({@link Add#isSubtraction()}) with requantization. */
    record Sum(String name, String source, Add op, byte[] a, byte[] b, byte[] output) implements Int8Layer {
        public <R> R accept(Visitor<R> v) { return v.sum(this); }
        @Override public int outputBits() { return op.out().bits(); }
        public List<byte[]> inputs() { return List.of(a, b); }
    }

    record Shrink(String name, String source, SoftThreshold op, byte[] input, byte[] output) implements Int8Layer {
        public <R> R accept(Visitor<R> v) { return v.shrink(this); }
        @Override public int outputBits() { return op.bits(); }
        public List<byte[]> inputs() { return List.of(input); }
    }

    /** Support selection or hard threshold per vector ({@link SupportSelectThreshold}). */
    record Select(String name, String source, SupportSelectThreshold op, byte[] input, byte[] output) implements Int8Layer {
        public <R> R accept(Visitor<R> v) { return v.select(this); }
        @Override public int outputBits() { return op.bits(); }
        public List<byte[]> inputs() { return List.of(input); }
    }

    /** ReLU, ReLU6, box projection: clamp to [lo, hi] in the int8 domain. */
    record Clamp(String name, String source, int lo, int hi, byte[] input, byte[] output) implements Int8Layer {
        public <R> R accept(Visitor<R> v) { return v.clamp(this); }
        public List<byte[]> inputs() { return List.of(input); }
    }

    record Pool(String name, String source, Pool2d op, byte[] input, byte[] output) implements Int8Layer {
        public <R> R accept(Visitor<R> v) { return v.pool(this); }
        public List<byte[]> inputs() { return List.of(input); }
    }

    /** Any element-wise int8 → int8 map as a 256-entry table (tanh, sigmoid, scaling by a constant, rescaling). */
    record Table(String name, String source, byte[] table, byte[] input, byte[] output) implements Int8Layer {
        public <R> R accept(Visitor<R> v) { return v.table(this); }
        /** 16 for a table of 16-bit entries ({@link org.edgenn.runtime.kernels.Lut#outputBits(byte[])}). */
        @Override public int outputBits() { return org.edgenn.runtime.kernels.Lut.outputBits(table); }
        public List<byte[]> inputs() { return List.of(input); }
    }

    /**
     * Pure data movement (concat, pixel shuffle, up-sampling, reshape/flatten): no arithmetic; checked by
     * re-running {@code op} with the scalar reference.
     */
    record Move(String name, String source, Movement op, List<byte[]> inputs, byte[] output) implements Int8Layer {
        public <R> R accept(Visitor<R> v) { return v.move(this); }
        public Move {
            inputs = List.copyOf(inputs);
        }

        /** {@code reshape}, {@code concat}, {@code pixel_shuffle}, {@code upsample_nearest}. */
        public String kind() {
            return op.kind().name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
