package org.edgenn.eclipse.editor;

import org.eclipse.jface.text.DocumentEvent;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IDocumentListener;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.SelectionChangedEvent;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.ui.views.contentoutline.ContentOutlinePage;
import org.edgenn.dsl.ide.outline.EdgeNNOutline.Node;

/**
 * The Outline view's page for an .edgenn file in the Generic Editor: a tree of
 * {@link EdgeNNOutlineContent}; selecting an entry selects its name in the editor and highlights
 * its range; the tree is rebuilt 500 ms after the last edit.
 */
public class EdgeNNOutlinePage extends ContentOutlinePage {

    private static final int REFRESH_DELAY_MS = 500;

    private final ITextEditor editor;
    private IDocument document;
    private final Runnable refresh = this::refresh;
    private final IDocumentListener edits = new IDocumentListener() {
        @Override
        public void documentAboutToBeChanged(DocumentEvent event) {
        }

        @Override
        public void documentChanged(DocumentEvent event) {
            TreeViewer viewer = getTreeViewer();
            if (viewer != null && !viewer.getControl().isDisposed()) {
                viewer.getControl().getDisplay().timerExec(-1, refresh); // restart the delay
                viewer.getControl().getDisplay().timerExec(REFRESH_DELAY_MS, refresh);
            }
        }
    };

    public EdgeNNOutlinePage(ITextEditor editor) {
        this.editor = editor;
    }

    @Override
    public void createControl(Composite parent) {
        super.createControl(parent);
        TreeViewer viewer = getTreeViewer();
        viewer.setContentProvider(new EdgeNNOutlineContent());
        viewer.setLabelProvider(new EdgeNNOutlineContent.Labels());
        viewer.setComparer(new EdgeNNOutlineContent.SameDeclaration());
        viewer.setAutoExpandLevel(2);
        document = editor.getDocumentProvider().getDocument(editor.getEditorInput());
        if (document != null) {
            document.addDocumentListener(edits);
            viewer.setInput(EdgeNNOutlineContent.tree(document));
        }
    }

    private void refresh() {
        TreeViewer viewer = getTreeViewer();
        if (viewer == null || viewer.getControl().isDisposed() || document == null) {
            return;
        }
        Object[] expanded = viewer.getExpandedElements();
        viewer.getControl().setRedraw(false);
        try {
            viewer.setInput(EdgeNNOutlineContent.tree(document));
            viewer.setExpandedElements(expanded);
        } finally {
            viewer.getControl().setRedraw(true);
        }
    }

    @Override
    public void selectionChanged(SelectionChangedEvent event) {
        super.selectionChanged(event);
        if (event.getSelection() instanceof IStructuredSelection s && s.getFirstElement() instanceof Node n) {
            editor.setHighlightRange(n.offset(), n.length(), false);
            editor.selectAndReveal(n.nameOffset(), n.nameLength());
        }
    }

    @Override
    public void dispose() {
        if (document != null) {
            document.removeDocumentListener(edits);
        }
        super.dispose();
    }
}
