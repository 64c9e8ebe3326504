package org.edgenn.ir.accel;

/**
 * What an accelerator does with zero weights, in the vocabulary of Sparseloop (Y. N. Wu, P.-A. Tsai, A. Parashar,
 * V. Sze, J. S. Emer, "Sparseloop: An Analytical Approach to Sparse Tensor Accelerator Modeling", MICRO 2022):
 * <ul>
 *   <li>{@link Compute#GATE}: a MAC whose weight is zero is gated: it spends no MAC energy, but its cycle is spent;</li>
 *   <li>{@link Compute#SKIP}: zero weights are skipped: neither their MAC energy nor their cycle is spent;</li>
 *   <li>{@link Compute#NONE}: dense hardware; zeros cost what any weight costs.</li>
 * </ul>
 * and how weights are stored at every memory level ({@link Format}): dense, or compressed (the non-zero values only)
 * with metadata: a bitmask (1 bit per weight position), offsets (one {@code indexBits}-bit index per non-zero), or an
 * N:M unit's layout ({@code ceil(log2 M)} bits per non-zero; the unit only runs exactly the N:M pattern).
 *
 * @param n, m the N:M pattern of an {@link Format#NM} unit, else 0
 */
public record SparseSupport(Compute compute, Format format, int indexBits, int n, int m) {
    public static final SparseSupport NONE = new SparseSupport(Compute.NONE, Format.DENSE, 0, 0, 0);

    public enum Compute { NONE, GATE, SKIP }

    public enum Format { DENSE, BITMASK, OFFSETS, NM }

    public boolean declared() {
        return compute != Compute.NONE || format != Format.DENSE;
    }

    /**
     * Bits stored per dense weight position for weights of {@code bits} bits and a fraction {@code density} of
     * non-zeros: {@code bits} in a dense format; {@code density x bits} plus metadata in a compressed one.
     */
    public double storedBitsPerWeight(int bits, double density) {
        return switch (format) {
            case DENSE -> bits;
            case BITMASK -> density * bits + 1;
            case OFFSETS -> density * (bits + indexBits);
            case NM -> density * (bits + nmIndexBits());
        };
    }

    /** Index bits per kept weight of an N:M unit: {@code ceil(log2 M)}. */
    public int nmIndexBits() {
        return m <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(m - 1);
    }

    /**
     * Fraction of the dense MACs whose cycles are spent for weights of {@code density}: all of them unless the hardware
     * skips zeros.
     */
    public double cycleFraction(double density) {
        return compute == Compute.SKIP ? density : 1;
    }

    /** Fraction of the dense MAC energy spent: the non-zeros only when the hardware gates or skips zeros. */
    public double energyFraction(double density) {
        return compute == Compute.NONE ? 1 : density;
    }

    /**
     * This support as it applies to weights of {@code density}: none for dense weights; an N:M unit only exploits its
     * own pattern, i.e. a density of exactly {@code n/m} (anything else runs dense on it).
     */
    public SparseSupport appliesTo(double density) {
        if (density >= 1 || !declared()) {
            return NONE;
        }
        if (format == Format.NM && Math.abs(density - (double) n / m) > 1e-12) {
            return NONE;
        }
        return this;
    }

    /** True when this hardware can exploit weights pruned {@code n}:{@code m} (an N:M unit needs exactly its pattern). */
    public boolean runsNm(int pn, int pm) {
        return format != Format.NM || (n == pn && m == pm);
    }

    /** As written in a {@code .edgenn} file. */
    public String spelling() {
        if (!declared()) {
            return "dense";
        }
        String s = "sparse weights " + compute.name().toLowerCase(java.util.Locale.ROOT);
        return switch (format) {
            case DENSE -> s;
            case BITMASK -> s + " bitmask";
            case OFFSETS -> s + " offsets " + indexBits;
            case NM -> s + " nm " + n + ":" + m;
        };
    }
}
