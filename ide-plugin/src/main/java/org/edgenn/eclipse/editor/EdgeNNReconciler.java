package org.edgenn.eclipse.editor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.reconciler.DirtyRegion;
import org.eclipse.jface.text.reconciler.IReconcilingStrategy;
import org.eclipse.jface.text.reconciler.Reconciler;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.IAnnotationModelExtension;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.eclipse.EdgeNNDocuments;

/**
 * Errors as you type: after each pause in typing the whole document is validated and the
 * viewer's error/warning annotations replaced. Markers in the Problems view come from the builder.
 */
public class EdgeNNReconciler extends Reconciler {

    static final String ERROR = "org.eclipse.ui.workbench.texteditor.error";
    static final String WARNING = "org.eclipse.ui.workbench.texteditor.warning";

    private final Strategy strategy = new Strategy();

    public EdgeNNReconciler() {
        setReconcilingStrategy(strategy, IDocument.DEFAULT_CONTENT_TYPE);
        setDelay(300);
    }

    @Override
    public void install(ITextViewer viewer) {
        super.install(viewer);
        strategy.viewer = viewer instanceof ISourceViewer sv ? sv : null;
    }

    /** The annotations for a document's issues; what the strategy puts on the viewer. */
    public static Map<Annotation, Position> annotations(IDocument document) {
        List<Issue> issues = EdgeNNDocuments.with(document, d -> d.validate());
        Map<Annotation, Position> out = new HashMap<>();
        for (Issue i : issues) {
            if (i.getOffset() == null || i.getSeverity() == Severity.IGNORE || i.getSeverity() == Severity.INFO) {
                continue;
            }
            String type = i.getSeverity() == Severity.ERROR ? ERROR : WARNING;
            out.put(new Annotation(type, false, i.getMessage()), new Position(i.getOffset(), i.getLength()));
        }
        return out;
    }

    static final class Strategy implements IReconcilingStrategy {
        private IDocument document;
        private ISourceViewer viewer;
        private final List<Annotation> shown = new ArrayList<>();

        @Override
        public void setDocument(IDocument document) {
            this.document = document;
        }

        @Override
        public void reconcile(DirtyRegion dirtyRegion, IRegion subRegion) {
            reconcile(subRegion);
        }

        @Override
        public void reconcile(IRegion partition) {
            IAnnotationModel model = viewer == null ? null : viewer.getAnnotationModel();
            if (document == null || model == null) {
                return;
            }
            Map<Annotation, Position> fresh = annotations(document);
            synchronized (shown) {
                if (model instanceof IAnnotationModelExtension ext) {
                    ext.replaceAnnotations(shown.toArray(Annotation[]::new), fresh);
                } else {
                    shown.forEach(model::removeAnnotation);
                    fresh.forEach(model::addAnnotation);
                }
                shown.clear();
                shown.addAll(fresh.keySet());
            }
        }
    }
}
