package org.edgenn.runtime.testutil;

import static org.junit.jupiter.api.Assertions.fail;

/** Exact element comparison that reports the first mismatches (index, expected, actual). */
public final class Mismatch {
    private Mismatch() {}

    public static void assertSame(String what, byte[] expected, byte[] actual) {
        if (expected.length != actual.length) fail(what + ": length " + expected.length + " vs " + actual.length);
        StringBuilder sb = new StringBuilder();
        int count = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                if (count < 10) sb.append("\n  [").append(i).append("] expected ").append(expected[i]).append(", got ").append(actual[i]);
                count++;
            }
        }
        if (count > 0) fail(what + ": " + count + " of " + expected.length + " elements differ; first:" + sb);
    }

    public static void assertSame(String what, int[] expected, int[] actual) {
        if (expected.length != actual.length) fail(what + ": length " + expected.length + " vs " + actual.length);
        StringBuilder sb = new StringBuilder();
        int count = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                if (count < 10) sb.append("\n  [").append(i).append("] expected ").append(expected[i]).append(", got ").append(actual[i]);
                count++;
            }
        }
        if (count > 0) fail(what + ": " + count + " of " + expected.length + " elements differ; first:" + sb);
    }

    public static byte[] randomBytes(java.util.Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
