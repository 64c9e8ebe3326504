package org.edgenn.eclipse;

import com.google.inject.Injector;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.eclipse.core.filebuffers.FileBuffers;
import org.eclipse.core.filebuffers.ITextFileBuffer;
import org.eclipse.emf.common.util.URI;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.projection.ProjectionDocument;
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
    private static final java.util.concurrent.atomic.AtomicInteger UNTITLED = new java.util.concurrent.atomic.AtomicInteger();

    private EdgeNNDocuments() {
    }

    public static synchronized Injector injector() {
        if (injector == null) {
            injector = new EdgeNNIdeSetup().createInjectorAndDoEMFRegistration();
        }
        return injector;
    }

    /**
     * The file an editor's document was read from, so that its imports ({@code import "../targets/tiny16.edgenn"})
     * resolve as they do on disk; an in-memory name for a document without a file (and outside a running Eclipse,
     * where there is no file buffer manager).
     */
    static URI uriOf(IDocument document) {
        // an editor with folding shows a projection of the file buffer's document: the buffer knows the master
        IDocument master = document instanceof ProjectionDocument p ? p.getMasterDocument() : document;
        try {
            ITextFileBuffer buffer = FileBuffers.getTextFileBufferManager().getTextFileBuffer(master);
            if (buffer != null && buffer.getFileStore() != null) {
                return URI.createURI(buffer.getFileStore().toURI().toString());
            }
        } catch (RuntimeException | LinkageError e) {
            // no file buffers: an untitled document
        }
        return URI.createURI("inmemory:/editor" + UNTITLED.getAndIncrement() + ".edgenn");
    }

    /** Runs {@code use} on the document's parsed form, current with its text. */
    public static <T> T with(IDocument document, Function<EditorDocument, T> use) {
        EditorDocument doc;
        synchronized (EdgeNNDocuments.class) {
            doc = OPEN.get(document);
        }
        if (doc == null) {
            // the file buffer manager is asked without holding this class's lock: the UI thread can hold the
            // manager's lock while it waits for ours (an editor connecting its document), so asking it under our lock
            // could deadlock the two
            URI uri = uriOf(document);
            synchronized (EdgeNNDocuments.class) {
                doc = OPEN.computeIfAbsent(document, d -> injector().getInstance(EdgeNNEditorServices.class).open(uri, d.get()));
            }
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
