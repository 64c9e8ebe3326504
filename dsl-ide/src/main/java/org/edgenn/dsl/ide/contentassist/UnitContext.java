package org.edgenn.dsl.ide.contentassist;

import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.edgenn.dsl.edgeNN.ClockSpec;
import org.edgenn.dsl.edgeNN.EdgeNNPackage;
import org.edgenn.dsl.edgeNN.Limit;
import org.edgenn.dsl.edgeNN.Metric;
import org.edgenn.dsl.edgeNN.Quantity;
import org.edgenn.dsl.lowering.Units;

/** Which units make sense where a quantity is written: bytes after {@code size}, MHz after {@code clock}, ... */
public final class UnitContext {

    private UnitContext() {
    }

    /** The units accepted at a model element (a quantity or what contains it); all units when unknown. */
    public static List<String> unitsAt(EObject model) {
        Units u = quantity(model);
        if (u != null) {
            return spellings(u);
        }
        return java.util.Arrays.stream(Units.values()).flatMap(x -> spellings(x).stream()).distinct().toList();
    }

    static Units quantity(EObject model) {
        if (model instanceof Quantity q) {
            return quantityOf(q.eContainer(), q.eContainingFeature());
        }
        if (model instanceof ClockSpec) {
            return Units.FREQUENCY;
        }
        if (model instanceof Limit l) {
            return forMetric(l.getMetric());
        }
        return null;
    }

    /** The kind of quantity a feature holds; shared with the quick fixes for unknown units. */
    public static Units quantityOf(EObject owner, EStructuralFeature feature) {
        if (feature == EdgeNNPackage.Literals.CLOCK_SPEC__FREQUENCY) {
            return Units.FREQUENCY;
        }
        if (feature == EdgeNNPackage.Literals.MEMORY_LEVEL__SIZE) {
            return Units.BYTES;
        }
        if (feature == EdgeNNPackage.Literals.MEMORY_LEVEL__BANDWIDTH) {
            return Units.BANDWIDTH;
        }
        if (feature == EdgeNNPackage.Literals.MEMORY_LEVEL__READ_ENERGY || feature == EdgeNNPackage.Literals.MEMORY_LEVEL__WRITE_ENERGY) {
            return Units.ENERGY_PER_BYTE;
        }
        if (owner instanceof Limit l) {
            return forMetric(l.getMetric());
        }
        return null;
    }

    private static Units forMetric(Metric m) {
        return switch (m) {
            case LATENCY -> Units.TIME;
            case ENERGY -> Units.ENERGY;
            default -> Units.COUNT;
        };
    }

    public static List<String> spellings(Units u) {
        return java.util.Arrays.stream(u.spellings().split(", ")).filter(s -> !s.equals("(none)")).toList();
    }
}
