package org.edgenn.dsl.lowering;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

/**
 * Whether the user wrote a feature. EMF's {@code eIsSet} cannot tell an enum's first literal
 * written out ({@code per-channel}, {@code int4}) from no value at all; the parse tree can.
 */
final class Written {
    private Written() {
    }

    static boolean isWritten(EObject element, EStructuralFeature feature) {
        return !NodeModelUtils.findNodesForFeature(element, feature).isEmpty();
    }

    /** The text the user wrote for {@code element}, whitespace collapsed ({@code "x"}, {@code 1e-3}). */
    static String of(EObject element) {
        org.eclipse.xtext.nodemodel.ICompositeNode node = NodeModelUtils.findActualNodeFor(element);
        return node == null ? String.valueOf(element) : NodeModelUtils.getTokenText(node);
    }

    /**
     * Whether the parser already refused the text of {@code element} (a number out of range: the value converter's
     * positioned error). Its value is then the type's default (0), so a check that reads it would add a second,
     * misleading message ("must be > 0, got 1e999") to the one problem.
     */
    static boolean isRefused(EObject element) {
        org.eclipse.xtext.nodemodel.ICompositeNode node = NodeModelUtils.findActualNodeFor(element);
        if (node == null) {
            return false;
        }
        for (org.eclipse.xtext.nodemodel.INode n : node.getAsTreeIterable()) {
            if (n.getSyntaxErrorMessage() != null) {
                return true;
            }
        }
        return false;
    }
}
