package org.edgenn.dsl.ide.quickfix;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.XtextResource;
import org.edgenn.dsl.edgeNN.Attribute;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.edgeNN.OpCall;
import org.edgenn.dsl.edgeNN.Quantity;
import org.edgenn.dsl.edgeNN.Unroll;
import org.edgenn.dsl.ide.contentassist.EdgeNNIdeContentProposalProvider;
import org.edgenn.dsl.ide.contentassist.UnitContext;
import org.edgenn.dsl.lowering.Names;
import org.edgenn.dsl.lowering.OpCatalog;
import org.edgenn.dsl.lowering.Units;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.spec.vocab.Closest;
import org.edgenn.ir.spec.vocab.Term;
import org.edgenn.ir.spec.vocab.Vocabulary;

/**
 * Quick fixes for the common mistakes, as text replacements computed from the issue's code and
 * range. The validator's issues carry no data, so each fix re-reads the model at the range; the
 * vocabularies (attributes, initialisers, units, loop dimensions) are the ones lowering checks.
 */
public class EdgeNNFixes {

    public static final Set<String> CODES = Set.of(IssueCodes.UNKNOWN_ATTRIBUTE, IssueCodes.UNKNOWN_INITIALIZER,
            IssueCodes.UNKNOWN_ARGUMENT, IssueCodes.UNKNOWN_OPTIMIZER, IssueCodes.UNKNOWN_DATA_SOURCE, IssueCodes.UNKNOWN_SCHEDULE,
            IssueCodes.UNKNOWN_UNIT, IssueCodes.UNKNOWN_LOOP_DIM, IssueCodes.UNKNOWN_OPERAND, IssueCodes.MISSING_INDEX,
            IssueCodes.DUPLICATE_NAME, IssueCodes.UNUSED);

    @Inject
    private EObjectAtOffsetHelper atOffset;

    /** The fixes for an issue with {@code code} on {@code text[offset, offset + length)}; empty when none applies. */
    public List<Fix> fixes(XtextResource resource, String text, String code, int offset, int length) {
        if (code == null || !CODES.contains(code) || offset < 0 || length < 0 || offset + length > text.length()) {
            return List.of();
        }
        String written = text.substring(offset, offset + length);
        EObject at = atOffset.resolveContainedElementAt(resource, offset);
        if (code.equals(IssueCodes.UNKNOWN_ATTRIBUTE)) {
            OpCall call = EcoreUtil2.getContainerOfType(at, OpCall.class);
            OpCatalog.Signature sig = call == null ? null : OpCatalog.get(call.getOp());
            return sig == null ? List.of() : replaceWithClosest(written, sig.attributes(), offset, length);
        }
        if (code.equals(IssueCodes.UNKNOWN_INITIALIZER)) {
            String word = leadingWord(written);
            return replaceWithClosest(word, Vocabulary.names(Term.Kind.INITIALIZER), offset, word.length());
        }
        if (code.equals(IssueCodes.UNKNOWN_OPTIMIZER) || code.equals(IssueCodes.UNKNOWN_DATA_SOURCE)
                || code.equals(IssueCodes.UNKNOWN_SCHEDULE)) {
            Term.Kind kind = code.equals(IssueCodes.UNKNOWN_OPTIMIZER) ? Term.Kind.OPTIMIZER
                    : code.equals(IssueCodes.UNKNOWN_SCHEDULE) ? Term.Kind.SCHEDULE : Term.Kind.DATA_SOURCE;
            String word = leadingWord(written);
            return replaceWithClosest(word, Vocabulary.names(kind), offset, word.length());
        }
        if (code.equals(IssueCodes.UNKNOWN_ARGUMENT)) {
            Term<?> term = EdgeNNIdeContentProposalProvider.enclosingTerm(at);
            return term == null ? List.of() : replaceWithClosest(written, term.parameterNames(), offset, length);
        }
        if (code.equals(IssueCodes.UNKNOWN_UNIT)) {
            Quantity q = EcoreUtil2.getContainerOfType(at, Quantity.class);
            Units units = q == null ? null : UnitContext.quantityOf(q.eContainer(), q.eContainingFeature());
            return units == null || written.isBlank() ? List.of()
                    : replaceWithClosest(written, UnitContext.spellings(units), offset, length);
        }
        if (code.equals(IssueCodes.UNKNOWN_LOOP_DIM)) {
            return replaceWithClosest(written, EdgeNNIdeContentProposalProvider.LOOP_DIMS, offset, length);
        }
        if (code.equals(IssueCodes.UNKNOWN_OPERAND)) {
            return replaceWithClosest(written, EdgeNNIdeContentProposalProvider.OPERANDS, offset, length);
        }
        if (code.equals(IssueCodes.MISSING_INDEX)) {
            Unroll step = EcoreUtil2.getContainerOfType(at, Unroll.class);
            String index = step == null || step.getName() == null ? "0" : step.getName();
            return List.of(new Fix("Add [" + index + "]", offset + length, 0, "[" + index + "]"));
        }
        if (code.equals(IssueCodes.DUPLICATE_NAME)) {
            return List.of(rename(resource, written, offset, length));
        }
        if (code.equals(IssueCodes.UNUSED)) {
            return remove(at, text);
        }
        return List.of();
    }

    private static List<Fix> replaceWithClosest(String written, java.util.Collection<String> candidates, int offset, int length) {
        List<Fix> fixes = new ArrayList<>();
        for (String c : Closest.to(written, candidates)) {
            fixes.add(new Fix("Change to '" + c + "'", offset, length, c));
        }
        return fixes;
    }

    /** The second declaration becomes name2 (or the first free nameN): the user renames it properly later. */
    private static Fix rename(XtextResource resource, String written, int offset, int length) {
        Set<String> taken = new HashSet<>();
        if (!resource.getContents().isEmpty() && resource.getContents().get(0) instanceof Model m) {
            m.eAllContents().forEachRemaining(e -> {
                if (e.eClass().getEStructuralFeature("name") != null) {
                    taken.add(Names.of(e));
                }
            });
        }
        int n = 2;
        while (taken.contains(written + n)) {
            n++;
        }
        return new Fix("Rename to '" + written + n + "'", offset, length, written + n);
    }

    /** Removes an unused declaration with its whole line when nothing else is on it. */
    private static List<Fix> remove(EObject at, String text) {
        EObject decl = at;
        while (decl != null && decl.eClass().getEStructuralFeature("name") == null) {
            decl = decl.eContainer();
        }
        ICompositeNode node = decl == null ? null : NodeModelUtils.findActualNodeFor(decl);
        if (node == null) {
            return List.of();
        }
        int start = node.getOffset();
        int end = node.getEndOffset();
        int lineStart = text.lastIndexOf('\n', start - 1) + 1;
        int lineEnd = text.indexOf('\n', end);
        lineEnd = lineEnd < 0 ? text.length() : lineEnd + 1;
        if (text.substring(lineStart, start).isBlank() && text.substring(end, lineEnd).isBlank()) {
            start = lineStart;
            end = lineEnd;
        }
        return List.of(new Fix("Remove unused '" + Names.of(decl) + "'", start, end - start, ""));
    }

    private static String leadingWord(String s) {
        int i = 0;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        return s.substring(0, i);
    }
}
