package org.edgenn.ir.spec.vocab;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** The valid names closest to a misspelt one (edit distance with swaps, case-insensitive), for "did you mean". */
public final class Closest {

    private Closest() {
    }

    /** The candidates at the smallest distance, sorted, if that distance is small enough to be a typo; else none. */
    public static List<String> to(String written, Collection<String> candidates) {
        int best = Integer.MAX_VALUE;
        List<String> found = new ArrayList<>();
        for (String c : candidates.stream().sorted().toList()) {
            int d = distance(written.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < best) {
                best = d;
                found.clear();
            }
            if (d == best) {
                found.add(c);
            }
        }
        // "kernl" -> kernel is a typo; "colour" -> stride is not a suggestion
        int allowed = Math.max(1, Math.min(3, written.length() / 2));
        return best <= allowed ? found : List.of();
    }

    /**
     * The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two neighbouring
     * characters, one each ({@code sdt} is one swap from {@code std}, a typo plain Levenshtein counts twice).
     */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
