package org.edgenn.runtime.cost;

import java.util.Arrays;
import org.edgenn.ir.accel.Operand;

/**
 * Element accesses per memory level and operand, split by kind. Partial-sum traffic of {@code O} and all
 * {@code W}/{@code I} traffic is at the operand's storage precision ({@link Workload#bits}); final outputs
 * are written (and read back on their way out) at {@link Workload#outputBits()}.
 * Immutable; build with {@link Builder}. Equality is exact, which is what the simulator test relies on.
 */
public final class AccessCounts {
    /** The kinds of access counted per (level, operand). */
    public enum Kind { READ, WRITE, FINAL_READ, FINAL_WRITE }

    private static final int OPS = Operand.values().length;
    private static final int KINDS = Kind.values().length;

    private final long[] counts;
    private final int levels;
    /** The innermost level of {@code I} on zero-skipping hardware (its reads feed the MACs), else −1. */
    private final int skipLevel;
    /** The share of those reads a skipping PE performs: the weight density. */
    private final double skipFraction;

    private AccessCounts(int levels, long[] counts, int skipLevel, double skipFraction) {
        this.levels = levels;
        this.counts = counts;
        this.skipLevel = skipLevel;
        this.skipFraction = skipFraction;
    }

    public int levels() {
        return levels;
    }

    /** Elements accessed at memory {@code level} (index into the accelerator's memory list). */
    public long get(int level, Operand op, Kind kind) {
        return counts[index(level, op, kind)];
    }

    /** Reads of both precisions. */
    public long reads(int level, Operand op) {
        return get(level, op, Kind.READ) + get(level, op, Kind.FINAL_READ);
    }

    /** Writes of both precisions. */
    public long writes(int level, Operand op) {
        return get(level, op, Kind.WRITE) + get(level, op, Kind.FINAL_WRITE);
    }

    /**
     * Bytes read at a level for one operand. On zero-skipping hardware the reads of {@code I} that feed the MACs (its
     * innermost level) are made only for non-zero weights: Sparseloop's skipping of the follower operand, so those
     * bytes are the density's share of the dense reads (the counts stay dense words, as the loop nest moves them).
     */
    public double readBytes(int level, Operand op, Workload w) {
        double reads = get(level, op, Kind.READ) * (op == Operand.I && level == skipLevel ? skipFraction : 1);
        return (reads * w.storedBits(op) + get(level, op, Kind.FINAL_READ) * (double) w.outputBits()) / 8.0;
    }

    /** The share of the MAC-feeding {@code I} reads performed (the weight density on zero-skipping hardware, else 1). */
    public double inputReadFraction() {
        return skipLevel < 0 ? 1 : skipFraction;
    }

    /** Bytes written at a level for one operand. */
    public double writeBytes(int level, Operand op, Workload w) {
        return (get(level, op, Kind.WRITE) * w.storedBits(op)
                + get(level, op, Kind.FINAL_WRITE) * (double) w.outputBits()) / 8.0;
    }

    private static int index(int level, Operand op, Kind kind) {
        return (level * OPS + op.ordinal()) * KINDS + kind.ordinal();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessCounts a && a.levels == levels && Arrays.equals(a.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    /** A table {@code level op READ WRITE FINAL_READ FINAL_WRITE}, for test failure messages and logs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < levels; l++) {
            for (Operand op : Operand.values()) {
                sb.append("L").append(l).append(' ').append(op);
                for (Kind k : Kind.values()) {
                    sb.append(' ').append(get(l, op, k));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** Mutable accumulator used by the cost model and the simulator. */
    public static final class Builder {
        private final int levels;
        private final long[] counts;
        private int skipLevel = -1;
        private double skipFraction = 1;

        public Builder(int levels) {
            this.levels = levels;
            this.counts = new long[levels * OPS * KINDS];
        }

        public Builder add(int level, Operand op, Kind kind, long n) {
            if (n < 0) {
                throw new IllegalArgumentException("negative access count " + n);
            }
            counts[index(level, op, kind)] += n;
            return this;
        }

        /** Zero-skipping hardware: only {@code fraction} of the reads of {@code I} at {@code level} (its innermost) feed MACs. */
        public Builder skippedInputReads(int level, double fraction) {
            if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("read fraction must be in (0, 1], got " + fraction);
            skipLevel = level;
            skipFraction = fraction;
            return this;
        }

        /**
         * Marks the skipped input reads of {@code w} on {@code h}: when the accelerator skips zero weights of this layer
         * (its {@code sparse weights skip ...} line applies to the layer's density), the MAC-level reads of {@code I}.
         */
        public Builder skipping(Workload w, MemoryHierarchy h) {
            var sparse = h.spec().sparse().appliesTo(w.weightDensity());
            if (sparse.compute() == org.edgenn.ir.accel.SparseSupport.Compute.SKIP && w.has(Operand.I)) {
                skippedInputReads(h.levelIndex(Operand.I, 0), w.weightDensity());
            }
            return this;
        }

        public AccessCounts build() {
            return new AccessCounts(levels, counts.clone(), skipLevel, skipFraction);
        }
    }
}
