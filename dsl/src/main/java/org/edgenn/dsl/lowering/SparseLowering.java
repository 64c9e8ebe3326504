package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.Locale;
import org.edgenn.dsl.edgeNN.SparseSpec;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.accel.SparseSupport;

/**
 * Lowers an accelerator's {@code sparse weights ACTION [FORMAT]} line. Actions and formats are read as names so that
 * an unknown one is a diagnostic with an issue code on its word, never a default.
 */
final class SparseLowering {
    private SparseLowering() {
    }

    static SparseSupport lower(SparseSpec s, Problems problems) {
        SparseSupport.Compute compute;
        switch (s.getAction() == null ? "" : s.getAction()) {
            case "gate" -> compute = SparseSupport.Compute.GATE;
            case "skip" -> compute = SparseSupport.Compute.SKIP;
            default -> {
                problems.error(s, SPARSE_SPEC__ACTION, IssueCodes.BAD_SPARSE_SUPPORT, "unknown sparse action '" + s.getAction()
                        + "': zero weights are either gated (gate: no MAC energy, same cycles) or skipped (skip)");
                return SparseSupport.NONE;
            }
        }
        boolean nm = Written.isWritten(s, SPARSE_SPEC__M);
        boolean index = Written.isWritten(s, SPARSE_SPEC__INDEX_BITS);
        String format = s.getFormat() == null ? "dense" : s.getFormat().toLowerCase(Locale.ROOT);
        switch (format) {
            case "dense" -> {
                if (nm || index) {
                    problems.error(s, SPARSE_SPEC__FORMAT, IssueCodes.BAD_SPARSE_SUPPORT, "a dense format has no index");
                    return SparseSupport.NONE;
                }
                return new SparseSupport(compute, SparseSupport.Format.DENSE, 0, 0, 0);
            }
            case "bitmask" -> {
                if (nm || index) {
                    problems.error(s, nm ? SPARSE_SPEC__N : SPARSE_SPEC__INDEX_BITS, IssueCodes.BAD_SPARSE_SUPPORT,
                            "a bitmask has one bit per weight: it takes no index width or N:M pattern");
                    return SparseSupport.NONE;
                }
                return new SparseSupport(compute, SparseSupport.Format.BITMASK, 0, 0, 0);
            }
            case "offsets" -> {
                if (!index || s.getIndexBits() < 1 || s.getIndexBits() > 32) {
                    problems.error(s, index ? SPARSE_SPEC__INDEX_BITS : SPARSE_SPEC__FORMAT, IssueCodes.BAD_SPARSE_SUPPORT,
                            "offsets need their index width in bits, 1 to 32: sparse weights skip offsets 4");
                    return SparseSupport.NONE;
                }
                return new SparseSupport(compute, SparseSupport.Format.OFFSETS, s.getIndexBits(), 0, 0);
            }
            case "nm" -> {
                if (!nm) {
                    problems.error(s, SPARSE_SPEC__FORMAT, IssueCodes.BAD_SPARSE_SUPPORT,
                            "an N:M unit needs its pattern: sparse weights skip nm 2:4");
                    return SparseSupport.NONE;
                }
                if (s.getN() < 1 || s.getN() >= s.getM()) {
                    problems.error(s, SPARSE_SPEC__N, IssueCodes.BAD_SPARSE_SUPPORT, "an N:M unit keeps N of every M weights,"
                            + " 1 <= N < M; got " + s.getN() + ":" + s.getM());
                    return SparseSupport.NONE;
                }
                if (compute != SparseSupport.Compute.SKIP) {
                    problems.error(s, SPARSE_SPEC__ACTION, IssueCodes.BAD_SPARSE_SUPPORT,
                            "an N:M unit skips the pruned weights: write sparse weights skip nm " + s.getN() + ":" + s.getM());
                    return SparseSupport.NONE;
                }
                return new SparseSupport(compute, SparseSupport.Format.NM, 0, s.getN(), s.getM());
            }
            default -> {
                problems.error(s, SPARSE_SPEC__FORMAT, IssueCodes.BAD_SPARSE_SUPPORT, "unknown sparse format '" + s.getFormat()
                        + "': dense, bitmask, offsets BITS or nm N:M");
                return SparseSupport.NONE;
            }
        }
    }
}
