package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.QUANTITY__UNIT;

import org.edgenn.dsl.edgeNN.Quantity;
import org.edgenn.dsl.validation.IssueCodes;

/** Converts a written quantity ({@code 128 KiB}, {@code 1.5 pJ/B}) to base units, reporting unknown units. */
public final class Quantities {
    private Quantities() {
    }

    public static Double convert(Quantity q, Units units, String what, Problems problems) {
        String unit = q.getUnit() == null ? "" : q.getUnit();
        Double factor = units.factor(unit);
        if (factor == null) {
            problems.error(q, QUANTITY__UNIT, IssueCodes.UNKNOWN_UNIT, (unit.isEmpty() ? "a unit is needed" : "unknown unit '"
                    + unit + "'") + " for " + what + "; expected one of " + units.spellings());
            return null;
        }
        if (Written.isRefused(q)) {
            return null; // the parser reported the number on its text already (1e999: too large); its value reads 0
        }
        return q.getValue() * factor;
    }

    /** The quantity as the user wrote it, for messages: {@code 300k}, {@code 1 ms}. */
    public static String written(Quantity q) {
        String n = q.getValue() == Math.rint(q.getValue()) ? String.valueOf((long) q.getValue()) : String.valueOf(q.getValue());
        String unit = q.getUnit() == null ? "" : q.getUnit();
        return unit.isEmpty() || unit.length() == 1 && Character.isLetter(unit.charAt(0)) && "kMG".contains(unit)
                ? n + unit : n + " " + unit;
    }
}
