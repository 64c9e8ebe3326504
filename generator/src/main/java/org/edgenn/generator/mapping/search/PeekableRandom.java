package org.edgenn.generator.mapping.search;

import java.util.Random;

/**
 * {@link Random}, with the double its next {@link #nextDouble()} will return readable in advance ({@link #peekDouble}).
 * The generator is Random's own, as its documentation specifies it (the 48-bit linear congruential {@code next(bits)},
 * from which {@code nextInt}, {@code nextDouble} and {@code Collections.shuffle} draw), so a seed gives the same
 * sequence as {@code new Random(seed)}: the annealing keeps its paths, and can tell before costing a move what
 * objective its Metropolis test will turn away. PeekableRandomTest compares it with Random.
 */
final class PeekableRandom extends Random {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    /** No initializer: Random's constructor sets it through {@link #setSeed} before this class's initializers run. */
    private long state;

    PeekableRandom(long seed) {
        super(seed);
    }

    @Override
    public synchronized void setSeed(long seed) {
        state = (seed ^ MULTIPLIER) & MASK;
        super.setSeed(seed); // (Random's own state, unused, and its cached Gaussian cleared)
    }

    @Override
    protected int next(int bits) {
        state = step(state);
        return (int) (state >>> (48 - bits));
    }

    /** What {@link #nextDouble()} returns next, without drawing it. */
    double peekDouble() {
        long first = step(state);
        long second = step(first);
        return (((long) (int) (first >>> (48 - 26)) << 27) + (int) (second >>> (48 - 27))) * DOUBLE_UNIT;
    }

    private static long step(long s) {
        return (s * MULTIPLIER + ADDEND) & MASK;
    }
}
