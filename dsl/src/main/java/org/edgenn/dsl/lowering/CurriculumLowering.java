package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import org.edgenn.dsl.edgeNN.Assign;
import org.edgenn.dsl.edgeNN.CurriculumItem;
import org.edgenn.dsl.edgeNN.Member;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.edgeNN.Output;
import org.edgenn.dsl.edgeNN.StateDecl;
import org.edgenn.dsl.edgeNN.Statement;
import org.edgenn.dsl.edgeNN.Symbol;
import org.edgenn.dsl.edgeNN.Unroll;
import org.edgenn.dsl.edgeNN.WordValue;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.spec.vocab.Curriculum;
import org.edgenn.ir.spec.vocab.Term;

/**
 * Lowers a train block's {@code curriculum layerwise(epochs=2)} or {@code curriculum stagewise(steps=300)}: the term
 * and its arguments through the typed vocabulary ({@link TermLowering}), and that the network has what a curriculum
 * trains on, a per-step output (its output is the state of an unroll block, so step k's value of that state is step
 * k's output).
 */
final class CurriculumLowering {

    private CurriculumLowering() {
    }

    /** The curriculum, or null after reporting why there is none. */
    static Curriculum lower(CurriculumItem item, Network network, Problems problems) {
        WordValue w = item.getCurriculum();
        if (w == null || w.getWord() == null) {
            return null; // the parser reports it
        }
        Curriculum c = TermLowering.lower(Term.Kind.CURRICULUM, w, problems);
        if (c == null) {
            return null;
        }
        if (!hasUnrolledOutput(network)) {
            problems.error(item, CURRICULUM_ITEM__CURRICULUM, IssueCodes.BAD_CURRICULUM, "curriculum " + w.getWord() + " trains one "
                    + "unroll step at a time on that step's output: the output of network " + network.getName()
                    + " must be a state assigned in an unroll block (state x ... unroll K as k { x = ... } output x)");
            return null;
        }
        return c;
    }

    /** True when the network's (first) output is a state that some unroll block assigns. */
    private static boolean hasUnrolledOutput(Network network) {
        Symbol out = null;
        for (Member m : network.getMembers()) {
            if (m instanceof Output o && !o.getValues().isEmpty()) {
                out = o.getValues().get(0);
                break;
            }
        }
        if (!(out instanceof StateDecl state)) {
            return false;
        }
        for (Member m : network.getMembers()) {
            if (m instanceof Unroll u) {
                for (Statement s : u.getBody()) {
                    if (s instanceof Assign a && a.getState() == state) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
