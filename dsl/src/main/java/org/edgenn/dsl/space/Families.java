package org.edgenn.dsl.space;

import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.Constraint;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.edgeNN.Parameter;

/**
 * A family is a network or an accelerator with parameters: a design space, not a design. Families
 * are never lowered as written; their instances are ({@link Instantiation}).
 */
public final class Families {
    private Families() {
    }

    public static boolean isFamily(EObject element) {
        return !parameters(element).isEmpty();
    }

    public static List<Parameter> parameters(EObject element) {
        if (element instanceof Network n) {
            return n.getParameters();
        }
        if (element instanceof Accelerator a) {
            return a.getParameters();
        }
        return List.of();
    }

    public static List<Constraint> constraints(EObject element) {
        if (element instanceof Network n) {
            return n.getConstraints();
        }
        if (element instanceof Accelerator a) {
            return a.getConstraints();
        }
        return List.of();
    }

    /** The family's name (the network's or accelerator's); its instances keep it. */
    public static String name(EObject element) {
        return element instanceof Network n ? n.getName() : element instanceof Accelerator a ? a.getName() : null;
    }
}
