package org.edgenn.dsl.ide.quickfix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** The valid names closest to a misspelt one (edit distance, case-insensitive), for "did you mean". */
final class Closest {

    private Closest() {
    }

    /** The candidates at the smallest distance, if that distance is small enough to be a typo. */
    static List<String> to(String written, Collection<String> candidates) {
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

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
