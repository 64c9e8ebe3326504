package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.edgenn.dsl.edgeNN.AttrArg;
import org.edgenn.dsl.edgeNN.Assign;
import org.edgenn.dsl.edgeNN.Attribute;
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
import org.edgenn.ir.spec.Curriculum;

/**
 * Lowers a train block's {@code curriculum layerwise(epochs=2)}: the kind, its one argument, and that the
 * network has what a layer-wise curriculum trains on, a per-step output (its output is the state of an unroll
 * block, so step k's value of that state is step k's output).
 */
final class CurriculumLowering {
    static final List<String> KINDS = List.of(Curriculum.LAYERWISE);
    private static final String EXAMPLE = "curriculum layerwise(epochs=2)";

    private CurriculumLowering() {
    }

    /** The curriculum, or null after reporting why there is none. */
    static Curriculum lower(CurriculumItem item, Network network, Problems problems) {
        WordValue w = item.getCurriculum();
        if (w == null || w.getWord() == null) {
            return null; // the parser reports it
        }
        if (!KINDS.contains(w.getWord())) {
            problems.error(w, WORD_VALUE__WORD, IssueCodes.BAD_CURRICULUM, "unknown curriculum '" + w.getWord()
                    + "'; expected one of " + String.join(", ", KINDS) + ": " + EXAMPLE);
            return null;
        }
        Integer epochs = epochs(w, problems);
        boolean unrolled = hasUnrolledOutput(network);
        if (!unrolled) {
            problems.error(item, CURRICULUM_ITEM__CURRICULUM, IssueCodes.BAD_CURRICULUM, "curriculum layerwise trains one "
                    + "unroll step at a time on that step's output: the output of network " + network.getName()
                    + " must be a state assigned in an unroll block (state x ... unroll K as k { x = ... } output x)");
        }
        return epochs == null || !unrolled ? null : new Curriculum(w.getWord(), epochs);
    }

    private static Integer epochs(WordValue w, Problems problems) {
        Integer epochs = null;
        boolean given = false;
        Set<String> seen = new HashSet<>();
        for (AttrArg arg : w.getArgs()) {
            if (!(arg instanceof Attribute a)) {
                problems.error(arg, null, IssueCodes.BAD_CURRICULUM, "curriculum layerwise takes named arguments: " + EXAMPLE);
                continue;
            }
            if (a.getName() == null) {
                continue;
            }
            if (!seen.add(a.getName())) {
                problems.error(a, ATTRIBUTE__NAME, IssueCodes.DUPLICATE_ATTRIBUTE, "'" + a.getName() + "' is given twice");
                continue;
            }
            if (!a.getName().equals("epochs")) {
                problems.error(a, ATTRIBUTE__NAME, IssueCodes.BAD_CURRICULUM, "unknown argument '" + a.getName()
                        + "' of curriculum layerwise; expected epochs (per stage)");
                continue;
            }
            given = true;
            Integer v = a.getValue() == null ? null : Attrs.asInt(a.getValue());
            if (v == null || v < 1) {
                problems.error(a, ATTRIBUTE__VALUE, IssueCodes.BAD_CURRICULUM, "epochs per stage must be a whole number of at least 1");
            } else {
                epochs = v;
            }
        }
        if (!given) {
            problems.error(w, WORD_VALUE__WORD, IssueCodes.BAD_CURRICULUM, "curriculum layerwise needs its epochs per stage: " + EXAMPLE);
        }
        return epochs;
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
