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
}
