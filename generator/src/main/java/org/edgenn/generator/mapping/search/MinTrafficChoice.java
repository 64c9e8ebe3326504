package org.edgenn.generator.mapping.search;

/**
 * ZigZag's choice of cuts at one shared level ({@link LoopAllocator.Policy#MIN_TRAFFIC}), without visiting every
 * combination. {@code bytes[i][j]} and {@code traffic[i][j]} are operand i's tile bytes and traffic at its j-th
 * cut candidate. The rule ({@link #chooseByEnumeration}, LOMA's {@code find_best_loop_combination}): every
 * combination in odometer order, the last operand fastest; one whose bytes fit is taken when its traffic is at
 * most the least traffic seen so far times (1 + 1e-12), so ties go to the later (larger) cuts.
 *
 * <p>That loop is most of the search's time on a level holding W, I and O (up to 9^3 combinations per allocation;
 * JFR: 43 % of the mapper's samples on ZigZag's hardware_opt grid). The same choice, in closed form over the last
 * operand: tile bytes grow with the cut, so for fixed cuts of the others the fitting cuts of the last operand
 * are a prefix {@code 0..J}, and since floating-point addition is monotone, the least traffic over that prefix is
 * {@code partial + min(traffic[last][0..J])}. Let M be the least traffic of all fitting combinations and p the first
 * combination (in odometer order) reaching it; every combination after p is taken exactly when its traffic is at
 * most {@code M * (1 + 1e-12)}, and p itself is taken, so the choice is the last combination at or after p within
 * that threshold. Sums are formed in the same order as the enumeration's, so the choice is bit for bit the same
 * ({@code MinTrafficChoiceTest} checks it against the enumeration). When some operand's bytes do not grow with the
 * cut, the enumeration itself is used.
 */
final class MinTrafficChoice {
    private static final double TIE = 1 + 1e-12;

    private MinTrafficChoice() {
    }

    /** The chosen index per operand (all 0 when no combination fits, as the enumeration leaves it). */
    static int[] choose(double[][] bytes, double[][] traffic, long size) {
        int m = bytes.length;
        for (double[] b : bytes) {
            for (int j = 1; j < b.length; j++) {
                if (!(b[j] >= b[j - 1])) {
                    return chooseByEnumeration(bytes, traffic, size);
                }
            }
        }
        int[] whole = largestWhenTheyFit(bytes, traffic, size);
        if (whole != null) {
            return whole;
        }
        int last = m - 1;
        double[] lastBytes = bytes[last];
        double[] lastTraffic = traffic[last];
        double[] prefixMin = new double[lastTraffic.length];
        for (int j = 0; j < lastTraffic.length; j++) {
            prefixMin[j] = j == 0 || lastTraffic[j] < prefixMin[j - 1] ? lastTraffic[j] : prefixMin[j - 1];
        }
        int[] radix = new int[last];
        long prefixes = 1;
        for (int i = 0; i < last; i++) {
            radix[i] = bytes[i].length;
            prefixes *= radix[i];
        }
        int[] digits = new int[last];
        double least = Double.POSITIVE_INFINITY;
        long firstPrefix = -1;
        int firstJ = -1;
        for (long r = 0; r < prefixes; r++) {
            decode(r, radix, digits);
            double sb = 0;
            double st = 0;
            for (int i = 0; i < last; i++) {
                sb += bytes[i][digits[i]];
                st += traffic[i][digits[i]];
            }
            int fit = lastFitting(sb, lastBytes, size);
            if (fit < 0) {
                continue;
            }
            double v = st + prefixMin[fit];
            if (v < least) {
                least = v;
                firstPrefix = r;
                int j = 0;
                while (st + lastTraffic[j] != v) {
                    j++;
                }
                firstJ = j;
            }
        }
        int[] out = new int[m];
        if (firstPrefix < 0) {
            return out;
        }
        double threshold = least * TIE;
        for (long r = prefixes - 1; r >= firstPrefix; r--) {
            decode(r, radix, digits);
            double sb = 0;
            double st = 0;
            for (int i = 0; i < last; i++) {
                sb += bytes[i][digits[i]];
                st += traffic[i][digits[i]];
            }
            int fit = lastFitting(sb, lastBytes, size);
            if (fit < 0 || st + prefixMin[fit] > threshold) {
                continue;
            }
            int stop = r == firstPrefix ? firstJ : 0;
            for (int j = fit; j >= stop; j--) {
                if (st + lastTraffic[j] <= threshold) {
                    System.arraycopy(digits, 0, out, 0, last);
                    out[last] = j;
                    return out;
                }
            }
        }
        throw new IllegalStateException("unreachable: the first least-traffic combination is always taken");
    }

    /**
     * The choice when every operand's largest cut fits together with the others' and no operand's traffic grows with
     * its cut (a level holding all it is offered, the usual case of a large buffer), else null. Then the last
     * combination of the odometer, the largest cuts, has the least sum (floating-point addition is monotone, and the
     * sums are formed in the enumeration's order), so it is the least traffic M; and being the last combination of all,
     * it is the last one within M's tie threshold: the rule's choice, without visiting the others.
     */
    private static int[] largestWhenTheyFit(double[][] bytes, double[][] traffic, long size) {
        int m = bytes.length;
        int[] out = new int[m];
        double sum = 0;
        for (int i = 0; i < m; i++) {
            double[] tr = traffic[i];
            if (!(tr[0] >= 0)) {
                return null;   // the tie threshold M * (1 + 1e-12) assumes non-negative traffic
            }
            for (int j = 1; j < tr.length; j++) {
                if (!(tr[j] <= tr[j - 1])) {
                    return null;
                }
            }
            out[i] = bytes[i].length - 1;
            sum += bytes[i][out[i]];
        }
        return sum <= size ? out : null;
    }

    /** The largest j with {@code partial + bytes[j] <= size}, or -1 ({@code bytes} non-decreasing). */
    private static int lastFitting(double partial, double[] bytes, long size) {
        if (!(partial + bytes[0] <= size)) {
            return -1;
        }
        int lo = 0;
        int hi = bytes.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (partial + bytes[mid] <= size) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private static void decode(long r, int[] radix, int[] digits) {
        for (int i = radix.length - 1; i >= 0; i--) {
            digits[i] = (int) (r % radix[i]);
            r /= radix[i];
        }
    }

    /** The rule itself: every combination, odometer order (last operand fastest). */
    static int[] chooseByEnumeration(double[][] bytes, double[][] traffic, long size) {
        int m = bytes.length;
        int[] idx = new int[m];
        int[] best = new int[m];
        double bestTraffic = Double.POSITIVE_INFINITY;
        while (true) {
            double total = 0;
            double tr = 0;
            for (int i = 0; i < m; i++) {
                total += bytes[i][idx[i]];
                tr += traffic[i][idx[i]];
            }
            if (total <= size && tr <= bestTraffic * TIE) {
                bestTraffic = Math.min(tr, bestTraffic);
                best = idx.clone();
            }
            int i = m - 1;
            while (i >= 0 && ++idx[i] == bytes[i].length) {
                idx[i] = 0;
                i--;
            }
            if (i < 0) {
                break;
            }
        }
        return best;
    }
}
