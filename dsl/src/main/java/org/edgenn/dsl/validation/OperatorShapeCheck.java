package org.edgenn.dsl.validation;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.ATTRIBUTE__VALUE;

import java.util.function.BiConsumer;
import org.edgenn.dsl.edgeNN.Attribute;
import org.edgenn.dsl.edgeNN.CallArg;
import org.edgenn.dsl.edgeNN.LayerDecl;
import org.edgenn.dsl.edgeNN.Member;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Weight;
import org.edgenn.ir.spec.vocab.DataSource;
import org.edgenn.ir.spec.vocab.Initializer;

/**
 * A layer initialised from the synthetic problem's A ({@code init=dictionary}, {@code dictionary_t}, {@code ista_s},
 * {@code alista_w}, {@code alista_s}, {@code admm_inverse}) must have the shape that initializer makes for the data's
 * m × n matrix: an error on the {@code init=} value, before any training, rather than an ND4J shape failure at run time.
 * Skipped when the data does not state m and n (a matrix file: the trainer checks it when it reads the file).
 */
final class OperatorShapeCheck {

    private OperatorShapeCheck() {
    }

    /** Reports each misfit through {@code error(message, attribute)}. */
    static void check(org.edgenn.dsl.edgeNN.Network ast, Network net, DataSource data, BiConsumer<String, Attribute> error) {
        if (!(data instanceof DataSource.SyntheticSparse s) || s.m() == null || s.n() == null || s.matrix() != null) {
            return;
        }
        int m = s.m(), n = s.n();
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (Weight w : net.weights()) {
            int[] expected = expected(w.init(), m, n);   // IR layout [out, in]
            if (expected == null || w.shape().rank() != 2) {
                continue;
            }
            int[] d = w.shape().dims();
            String layer = w.layer().replaceAll("\\[\\d+]$", "");
            if ((d[0] != expected[0] || d[1] != expected[1]) && reported.add(layer)) {
                Attribute init = initAttribute(ast, layer);
                if (init != null) {
                    error.accept("layer " + layer + " has init=" + org.edgenn.ir.spec.vocab.Vocabulary.spell(w.init()) + ", which makes a dense("
                            + expected[1] + " -> " + expected[0] + ") layer for the data's " + m + "x" + n + " A; the layer is dense("
                            + d[1] + " -> " + d[0] + ")", init);
                }
            }
        }
    }

    /** The [out, in] shape the initializer makes from an m × n A, or null when it does not read A. */
    private static int[] expected(Initializer init, int m, int n) {
        if (init instanceof Initializer.Dictionary) {
            return new int[] {m, n};
        }
        if (init instanceof Initializer.DictionaryT || init instanceof Initializer.AlistaW) {
            return new int[] {n, m};
        }
        if (init instanceof Initializer.IstaS || init instanceof Initializer.AlistaS || init instanceof Initializer.AdmmInverse) {
            return new int[] {n, n};
        }
        return null;
    }

    private static Attribute initAttribute(org.edgenn.dsl.edgeNN.Network ast, String layer) {
        for (Member member : ast.getMembers()) {
            if (member instanceof LayerDecl l && l.getName().equals(layer) && l.getSpec() != null) {
                for (CallArg a : l.getSpec().getArgs()) {
                    if (a instanceof Attribute at && "init".equals(at.getName())) {
                        return at;
                    }
                }
            }
        }
        return null;
    }

    static final org.eclipse.emf.ecore.EStructuralFeature FEATURE = ATTRIBUTE__VALUE;
}
