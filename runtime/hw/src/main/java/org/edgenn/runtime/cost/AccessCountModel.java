package org.edgenn.runtime.cost;

import org.edgenn.ir.accel.Operand;

/**
 * Step 1 of the cost model: analytical access counts.
 *
 * <p>Each operand moves along its chain {@code MAC <- L0 <- L1 <- ... <- backing store}. For every link
 * (child, parent) one <em>period</em> is a stretch of iterations during which the child's tile stays:
 * <ul>
 *   <li>the MAC node has no storage: it consumes one element per PE per iteration, so its periods are all
 *       {@link Tiles#iterations()} (like ZigZag, operand latches inside the MAC are not a memory level);</li>
 *   <li>a memory level with cut {@code c} has {@link Tiles#fills(Operand, int)} periods.</li>
 * </ul>
 * Per period {@code W} and {@code I} move one child tile down: the parent reads it once (one read is
 * broadcast to all PEs that need it when the parent is shared), the child writes it into every instance.
 * {@code O} moves up: at the end of every period the child's tile is read and written to the parent
 * (spatially reduced when the parent is shared); at the start of every period except the first visit of a
 * tile its partial sums come back down. The last visit of every distinct tile carries final outputs
 * (output precision) if the values are fully reduced on arrival — every loop irrelevant to O (C, FY, FX)
 * unrolled spatially lies on an axis the parent is shared along (spatial reduction happens on the way);
 * every other transfer carries partial sums (accumulator precision). A level shared along some axes only
 * ({@link Sharing}) moves, per instance in use, the union of what the PEs it serves need.
 */
final class AccessCountModel {
    private AccessCountModel() {
    }

    static AccessCounts calcAccessCounts(Workload w, MemoryHierarchy h, Mapping m, Tiles t) {
        return calcAccessCounts(w, h, m, t, java.util.Set.of());
    }

    /**
     * The same with the operands in {@code resident} held whole, for the whole layer, in the level directly below the
     * backing store (a network schedule keeps them there between layers): their link to the backing store carries
     * nothing, every other link is unchanged.
     */
    static AccessCounts calcAccessCounts(Workload w, MemoryHierarchy h, Mapping m, Tiles t, java.util.Set<Operand> resident) {
        AccessCounts.Builder b = new AccessCounts.Builder(h.levelCount()).skipping(w, h);
        int pes = m.spatial().usedPes();
        for (Operand op : w.operands()) {
            int length = h.chainLength(op) - (resident.contains(op) ? 1 : 0);
            for (int j = 0; j < length; j++) {
                Link link = link(h, m, t, op, j, pes);
                int parent = h.levelIndex(op, j);
                if (op != Operand.O) {
                    b.add(parent, op, AccessCounts.Kind.READ, link.periods * link.parentWords);
                    if (j > 0) {
                        b.add(h.levelIndex(op, j - 1), op, AccessCounts.Kind.WRITE, link.periods * link.childWords);
                    }
                } else {
                    long readBacks = link.periods - link.distinct;
                    long finals = link.reduced ? link.distinct : 0;
                    long partials = link.periods - finals;
                    b.add(parent, op, AccessCounts.Kind.WRITE, partials * link.parentWords);
                    b.add(parent, op, AccessCounts.Kind.FINAL_WRITE, finals * link.parentWords);
                    b.add(parent, op, AccessCounts.Kind.READ, readBacks * link.parentWords);
                    if (j > 0) {
                        int child = h.levelIndex(op, j - 1);
                        b.add(child, op, AccessCounts.Kind.READ, partials * link.childWords);
                        b.add(child, op, AccessCounts.Kind.FINAL_READ, finals * link.childWords);
                        b.add(child, op, AccessCounts.Kind.WRITE, readBacks * link.childWords);
                    }
                }
            }
        }
        return b.build();
    }

    /** One link of an operand chain: the parent is level {@code j}, the child level {@code j-1} or the MACs. */
    record Link(long periods, long distinct, long parentWords, long childWords, boolean reduced) {
    }

    static Link link(MemoryHierarchy h, Mapping m, Tiles t, Operand op, int j, int pes) {
        Sharing sh = m.sharing(h);
        int parent = h.levelIndex(op, j);
        int childCut;
        long periods;
        long childWords;
        if (j == 0) {
            childCut = 0;
            periods = t.iterations();
            childWords = pes * t.size(op, 0, false);
        } else {
            int child = h.levelIndex(op, j - 1);
            childCut = m.cut(op, j - 1);
            periods = t.fills(op, childCut);
            childWords = sh.instances(child) * t.size(op, childCut, sh.inner(child));
        }
        long parentWords = sh.instances(parent) * t.size(op, childCut, sh.inner(parent));
        return new Link(periods, t.distinct(op, childCut), parentWords, childWords, sh.reduces(parent));
    }
}
