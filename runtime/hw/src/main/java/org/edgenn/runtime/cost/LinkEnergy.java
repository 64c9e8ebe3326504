package org.edgenn.runtime.cost;

import java.util.Set;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;

/**
 * Step 2 of the cost model, link by link: what every instance moves per period, rounded up to the memory's word
 * ({@link MemoryLevel#wordBits}, ZigZag's {@code bandwidth_min}), times periods and instances, times the per-byte
 * energy. Without words and without {@link CostModel#withZigZagRules ZigZag's rules} this equals the byte counts of
 * {@link AccessCounts} times the per-byte energies (the plain step 2); the tests check it.
 *
 * <p>With ZigZag's rules ({@code CostModelEvaluation.calc_memory_word_access} of ZigZag 3.8, run with
 * {@code access_same_data_considered_as_no_access=True} as its pipeline does), three differences of its energy
 * accounting from EdgeNN's default, all on the same access pattern:
 * <ul>
 *   <li>MAC-level stationarity: the innermost level of {@code W} and {@code I} is read once per stretch of
 *       operand-irrelevant loops directly above the MACs (the value stays on the memory's output pins), i.e.
 *       {@link Tiles#fills fills(op, 0)} times instead of every iteration;</li>
 *   <li>partial sums: a level that ever holds partial sums (an output-irrelevant loop iterates above its child's
 *       tile, or a reduction is not done on the way up) receives every transfer at the partial-sum width, the last
 *       one included, and sends the partial sums back down at every period, the first visit included (nothing has
 *       been accumulated then); a level that holds final outputs only receives them at the output width;</li>
 *   <li>MAC energy of the real MACs, not of the padded iteration space (applied by {@link CostModel}).</li>
 * </ul>
 */
final class LinkEnergy {
    private LinkEnergy() {
    }

    /** Energy per memory level in pJ. */
    static double[] levelEnergy(Workload w, MemoryHierarchy h, Mapping m, Tiles t, Set<Operand> resident,
                                boolean zigzag) {
        double[] e = new double[h.levelCount()];
        for (double[] perOp : operandLevelEnergy(w, h, m, t, resident, zigzag)) {
            for (int l = 0; l < e.length; l++) {
                e[l] += perOp[l];
            }
        }
        return e;
    }

    /** Energy per operand (by ordinal) and memory level in pJ. */
    static double[][] operandLevelEnergy(Workload w, MemoryHierarchy h, Mapping m, Tiles t, Set<Operand> resident,
                                         boolean zigzag) {
        double[][] all = new double[Operand.values().length][h.levelCount()];
        Sharing sh = m.sharing(h);
        int pes = m.spatial().usedPes();
        var sparse = h.spec().sparse().appliesTo(w.weightDensity());
        boolean skipping = sparse.compute() == org.edgenn.ir.accel.SparseSupport.Compute.SKIP;
        Fractional frac = zigzag ? new Fractional(w, h, m, t, sh) : null;
        for (Operand op : w.operands()) {
            double[] e = all[op.ordinal()];
            int length = h.chainLength(op) - (resident.contains(op) ? 1 : 0);
            double bits = w.storedBits(op);
            for (int j = 0; j < length; j++) {
                AccessCountModel.Link link = AccessCountModel.link(h, m, t, op, j, pes);
                int parent = h.levelIndex(op, j);
                MemoryLevel pm = h.memory(parent);
                int child = j > 0 ? h.levelIndex(op, j - 1) : -1;
                MemoryLevel cm = j > 0 ? h.memory(child) : null;
                double instP;
                double perP;
                double instC = 1;
                double perC = 0;
                if (zigzag) { // ZigZag's fractional unrolling of padded dimensions (see Fractional)
                    instP = frac.instances(parent);
                    double tile = 1;
                    if (j > 0) {
                        instC = frac.instances(child);
                        tile = frac.tile(op, m.cut(op, j - 1), child);
                        perC = tile;
                    }
                    perP = tile * frac.boost(op, parent, child);
                } else {
                    instP = sh.instances(parent);
                    perP = link.parentWords() / instP;
                    if (j > 0) {
                        instC = sh.instances(child);
                        perC = link.childWords() / instC;
                    }
                }
                if (op != Operand.O) {
                    long periods = zigzag && j == 0 ? t.fills(op, 0) : link.periods();
                    double read = periods * instP * pm.chargedBytes(perP * bits) * pm.readPjPerByte();
                    if (op == Operand.I && j == 0 && skipping) {
                        read *= w.weightDensity(); // a skipping PE reads inputs for non-zero weights only
                    }
                    e[parent] += read;
                    if (j > 0) {
                        e[child] += periods * instC * cm.chargedBytes(perC * bits) * cm.writePjPerByte();
                    }
                    continue;
                }
                double partial = w.storedBits(Operand.O);
                double fin = w.outputBits();
                long periods = link.periods();
                long readBacks;
                long partials;
                long finals;
                if (zigzag) {
                    boolean psums = periods > link.distinct() || !link.reduced();
                    readBacks = psums ? periods : 0;
                    partials = psums ? periods : 0;
                    finals = psums ? 0 : periods;
                } else {
                    readBacks = periods - link.distinct();
                    finals = link.reduced() ? link.distinct() : 0;
                    partials = periods - finals;
                }
                e[parent] += instP * (partials * pm.chargedBytes(perP * partial) + finals * pm.chargedBytes(perP * fin))
                        * pm.writePjPerByte()
                        + instP * readBacks * pm.chargedBytes(perP * partial) * pm.readPjPerByte();
                if (j > 0) {
                    e[child] += instC * (partials * cm.chargedBytes(perC * partial) + finals * cm.chargedBytes(perC * fin))
                            * cm.readPjPerByte()
                            + instC * readBacks * cm.chargedBytes(perC * partial) * cm.writePjPerByte();
                }
            }
        }
        return all;
    }

    /**
     * ZigZag's view of a padded unrolling ({@code SpatialMappingConversionStage}): a dimension of size {@code n}
     * unrolled {@code s} wide and iterated {@code T = ceil(n / s)} times is unrolled {@code n / T} wide, a fraction, so
     * that only real data is counted. What one instance moves per period is then ZigZag's
     * ({@code Mapping.calc_data_size}, {@code SpatialMappingInternal}): the child instance's tile, rounded, times the
     * number of distinct child instances one parent instance serves, rounded; instance counts are rounded too; input
     * windows are counted from whole positions ({@code LayerNode.calc_tensor_dim} truncates) as contiguous ranges
     * (stride and dilation only). Python's {@code round} is half-to-even, hence {@link Math#rint}.
     */
    private static final class Fractional {
        private static final int N = LoopDim.N.ordinal();
        private static final int G = LoopDim.G.ordinal();
        private static final int K = LoopDim.K.ordinal();
        private static final int C = LoopDim.C.ordinal();
        private static final int OY = LoopDim.OY.ordinal();
        private static final int OX = LoopDim.OX.ordinal();
        private static final int FY = LoopDim.FY.ordinal();
        private static final int FX = LoopDim.FX.ordinal();
        private final Workload w;
        private final Tiles t;
        private final Sharing sh;
        private final int[] spatial;
        private final double[] ratio;

        Fractional(Workload w, MemoryHierarchy h, Mapping m, Tiles t, Sharing sh) {
            this.w = w;
            this.t = t;
            this.sh = sh;
            this.spatial = m.spatial().factors();
            long[] temporal = t.prefixProducts(t.loopCount());
            ratio = new double[spatial.length];
            for (int d = 0; d < spatial.length; d++) {
                ratio[d] = Math.min(1, w.bounds()[d] / ((double) temporal[d] * spatial[d]));
            }
        }

        /** Instances of {@code level} in use: the unrolling outside one instance, fractional factors, rounded. */
        double instances(int level) {
            int[] in = sh.inner(level);
            double outer = 1;
            for (int d = 0; d < spatial.length; d++) {
                if (in[d] != spatial[d]) {
                    outer *= spatial[d] / (double) in[d] * ratio[d];
                }
            }
            return Math.rint(outer);
        }

        /** Per dimension, the (fractional) spatial factor inside one instance of {@code level}; -1: the MACs. */
        private double[] inside(int level) {
            double[] f = new double[spatial.length];
            int[] in = level < 0 ? null : sh.inner(level);
            for (int d = 0; d < spatial.length; d++) {
                f[d] = in == null ? 1 : in[d] == spatial[d] ? spatial[d] * ratio[d] : in[d];
            }
            return f;
        }

        /** Elements of {@code op} one instance of {@code level} holds under cut {@code c}, rounded. */
        double tile(Operand op, int c, int level) {
            double[] f = inside(level);
            long[] p = t.prefixProducts(c);
            for (int d = 0; d < f.length; d++) {
                f[d] *= p[d];
            }
            return Math.rint(distinct(op, f));
        }

        /** Distinct child instances ({@code child} -1: the MACs) one instance of {@code parent} serves, rounded. */
        double boost(Operand op, int parent, int child) {
            return Math.rint(distinct(op, inside(parent)) / distinct(op, inside(child)));
        }

        /** Distinct elements of {@code op} spanned by the per-dimension extents {@code f}. */
        private double distinct(Operand op, double[] f) {
            return switch (op) {
                case W -> f[G] * f[K] * f[C] * f[FY] * f[FX];
                case O -> f[N] * f[G] * f[K] * f[OY] * f[OX];
                case I -> f[N] * f[G] * f[C] * window(f[OY], w.strideY(), f[FY], w.dilationY())
                        * window(f[OX], w.strideX(), f[FX], w.dilationX());
            };
        }

        /** ZigZag's {@code calc_pr_dimension_size} on whole positions. */
        private static double window(double outputs, int stride, double taps, int dilation) {
            long a = (long) outputs;
            long b = (long) taps;
            long g = java.math.BigInteger.valueOf(stride).gcd(java.math.BigInteger.valueOf(dilation)).longValue();
            return a * b - Math.max(0, b - stride / g) * (a - dilation / g);
        }
    }
}
