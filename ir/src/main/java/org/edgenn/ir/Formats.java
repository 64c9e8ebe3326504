package org.edgenn.ir;

import java.util.Locale;

/** Number formats shared by diagnostics, tables and reports. */
public final class Formats {
    private Formats() {
    }

    /** {@code 312.5k}, {@code 1.2M}, {@code 950}: up to four significant digits, SI suffix. */
    public static String compactCount(double n) {
        double a = Math.abs(n);
        if (a < 1e3) {
            return trim(n);
        }
        if (a < 1e6) {
            return trim(n / 1e3) + "k";
        }
        if (a < 1e9) {
            return trim(n / 1e6) + "M";
        }
        return trim(n / 1e9) + "G";
    }

    /** Seconds as {@code 812 us}, {@code 1.25 ms}, {@code 3.2 s}. */
    public static String duration(double seconds) {
        double a = Math.abs(seconds);
        if (a < 1e-6) {
            return trim(seconds * 1e9) + " ns";
        }
        if (a < 1e-3) {
            return trim(seconds * 1e6) + " us";
        }
        if (a < 1) {
            return trim(seconds * 1e3) + " ms";
        }
        return trim(seconds) + " s";
    }

    /** Bytes as {@code 950 B}, {@code 12.5 KiB}, {@code 1.2 MiB} (binary prefixes, as memory budgets are written). */
    public static String bytes(double b) {
        double a = Math.abs(b);
        if (a < 1024) {
            return trim(b) + " B";
        }
        if (a < 1024.0 * 1024) {
            return trim(b / 1024) + " KiB";
        }
        return trim(b / (1024.0 * 1024)) + " MiB";
    }

    /** Joules as {@code 12.5 uJ}, {@code 3 mJ}. */
    public static String energy(double joules) {
        double a = Math.abs(joules);
        if (a < 1e-9) {
            return trim(joules * 1e12) + " pJ";
        }
        if (a < 1e-6) {
            return trim(joules * 1e9) + " nJ";
        }
        if (a < 1e-3) {
            return trim(joules * 1e6) + " uJ";
        }
        if (a < 1) {
            return trim(joules * 1e3) + " mJ";
        }
        return trim(joules) + " J";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 10 ? "%.2f" : "%.3f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
