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

    private AccessCounts(int levels, long[] counts) {
        this.levels = levels;
        this.counts = counts;
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

    /** Bytes read at a level for one operand. */
    public double readBytes(int level, Operand op, Workload w) {
        return (get(level, op, Kind.READ) * w.storedBits(op)
                + get(level, op, Kind.FINAL_READ) * (double) w.outputBits()) / 8.0;
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

        public AccessCounts build() {
            return new AccessCounts(levels, counts.clone());
        }
    }
}
