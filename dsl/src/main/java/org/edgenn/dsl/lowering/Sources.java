package org.edgenn.dsl.lowering;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.util.LineAndColumn;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.edgenn.ir.SourceRef;

/** Positions of AST elements as plain IR data: file path, line and column of the element's first character. */
public final class Sources {
    private Sources() {
    }

    public static SourceRef of(EObject at) {
        ICompositeNode n = at == null ? null : NodeModelUtils.getNode(at);
        if (n == null) {
            return SourceRef.UNKNOWN;
        }
        var uri = at.eResource() == null ? null : at.eResource().getURI();
        String file = uri == null ? "" : uri.isFile() ? uri.toFileString() : uri.toString();
        LineAndColumn lc = NodeModelUtils.getLineAndColumn(n, n.getOffset());
        return new SourceRef(file, lc.getLine(), lc.getColumn());
    }
}
