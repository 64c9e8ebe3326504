package org.edgenn.eclipse.editor;

import java.util.List;
import org.eclipse.jface.text.DocumentEvent;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITypedRegion;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.jface.text.TextPresentation;
import org.eclipse.jface.text.presentation.IPresentationDamager;
import org.eclipse.jface.text.presentation.IPresentationRepairer;
import org.eclipse.jface.text.presentation.PresentationReconciler;
import org.eclipse.swt.custom.StyleRange;
import org.edgenn.dsl.ide.editor.EdgeNNEditorServices.Highlight;
import org.edgenn.eclipse.EdgeNNDocuments;

/**
 * Syntax and semantic colouring: after each change the whole document is re-coloured from
 * dsl-ide's lexical and semantic positions (.edgenn files are small; see docs/BENCHMARKS.md).
 */
public class EdgeNNPresentationReconciler extends PresentationReconciler {

    public EdgeNNPresentationReconciler() {
        WholeDocument all = new WholeDocument();
        setDamager(all, IDocument.DEFAULT_CONTENT_TYPE);
        setRepairer(all, IDocument.DEFAULT_CONTENT_TYPE);
    }

    /** The positions to colour, in application order (later ones win). */
    public static List<Highlight> highlights(IDocument document) {
        return EdgeNNDocuments.with(document, d -> d.highlightAll());
    }

    static final class WholeDocument implements IPresentationDamager, IPresentationRepairer {
        private IDocument document;

        @Override
        public void setDocument(IDocument document) {
            this.document = document;
        }

        @Override
        public IRegion getDamageRegion(ITypedRegion partition, DocumentEvent event, boolean documentPartitioningChanged) {
            return new Region(0, document.getLength());
        }

        @Override
        public void createPresentation(TextPresentation presentation, ITypedRegion damage) {
            for (Highlight h : highlights(document)) {
                TextAttribute a = Colours.of(h.style());
                if (a != null) {
                    presentation.mergeStyleRange(new StyleRange(h.offset(), h.length(), a.getForeground(), null, a.getStyle()));
                }
            }
        }
    }
}
