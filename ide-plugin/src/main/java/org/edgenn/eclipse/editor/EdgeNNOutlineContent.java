package org.edgenn.eclipse.editor;

import java.util.List;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.viewers.IElementComparer;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.edgenn.dsl.ide.outline.EdgeNNOutline.Node;
import org.edgenn.eclipse.EdgeNNDocuments;

/**
 * The outline page's content and labels over dsl-ide's outline tree ({@code EditorDocument.outline()},
 * the language server's document symbols with offsets). The viewer's input is the list of top-level
 * nodes; no display is needed, so this is tested headless.
 */
public final class EdgeNNOutlineContent implements ITreeContentProvider {

    /** The outline of the document's current text. */
    public static List<Node> tree(IDocument document) {
        return EdgeNNDocuments.with(document, d -> d.outline());
    }

    @Override
    public Object[] getElements(Object input) {
        return input instanceof List<?> l ? l.toArray() : new Object[0];
    }

    @Override
    public Object[] getChildren(Object parent) {
        return parent instanceof Node n ? n.children().toArray() : new Object[0];
    }

    @Override
    public Object getParent(Object element) {
        return null; // only used to reveal an element, which the page does not do
    }

    @Override
    public boolean hasChildren(Object element) {
        return element instanceof Node n && !n.children().isEmpty();
    }

    /** {@code We : layer}, or the name alone when it starts with its keyword ({@code unroll 8 as k}). */
    public static final class Labels extends LabelProvider {
        @Override
        public String getText(Object element) {
            if (element instanceof Node n) {
                return n.detail().isEmpty() ? n.name() : n.name() + " : " + n.detail();
            }
            return super.getText(element);
        }
    }

    /**
     * Nodes are records whose offsets change with every edit above them; the viewer compares them
     * by name and keyword instead, so that expanded nodes stay expanded when the tree is refreshed.
     */
    public static final class SameDeclaration implements IElementComparer {
        @Override
        public boolean equals(Object a, Object b) {
            if (a instanceof Node x && b instanceof Node y) {
                return x.name().equals(y.name()) && x.detail().equals(y.detail()) && x.kind() == y.kind();
            }
            return java.util.Objects.equals(a, b);
        }

        @Override
        public int hashCode(Object element) {
            return element instanceof Node n ? n.name().hashCode() : java.util.Objects.hashCode(element);
        }
    }
}
