package org.edgenn.eclipse;

import com.google.inject.Injector;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.eclipse.emf.common.util.URI;
import org.eclipse.jface.text.IDocument;
import org.edgenn.dsl.ide.EdgeNNIdeSetup;
import org.edgenn.dsl.ide.editor.EdgeNNEditorServices;
import org.edgenn.dsl.ide.editor.EditorDocument;

/**
 * The bridge from Eclipse documents to the language: one injector from {@link EdgeNNIdeSetup}
 * (the same services as the language server) and one parsed {@link EditorDocument} per open
 * document, brought up to date with its text before each use. Callers run on the UI thread, the
 * reconciler thread and content-assist threads, so every use holds the entry's lock.
 */
public final class EdgeNNDocuments {

    private static Injector injector;
    private static final Map<IDocument, EditorDocument> OPEN = new WeakHashMap<>();
    private static int untitled;

    private EdgeNNDocuments() {
    }

    public static synchronized Injector injector() {
        if (injector == null) {
            injector = new EdgeNNIdeSetup().createInjectorAndDoEMFRegistration();
        }
        return injector;
    }

    /** Runs {@code use} on the document's parsed form, current with its text. */
    public static <T> T with(IDocument document, Function<EditorDocument, T> use) {
        EditorDocument doc;
        synchronized (EdgeNNDocuments.class) {
            doc = OPEN.computeIfAbsent(document, d -> injector().getInstance(EdgeNNEditorServices.class)
                    .open(URI.createURI("inmemory:/editor" + (untitled++) + ".edgenn"), d.get()));
        }
        synchronized (doc) {
            String text = document.get();
            if (!text.equals(doc.text())) {
                doc.setText(text);
            }
            return use.apply(doc);
        }
    }
}
