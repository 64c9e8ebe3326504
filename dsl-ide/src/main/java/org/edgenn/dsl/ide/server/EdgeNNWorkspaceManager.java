package org.edgenn.dsl.ide.server;

import com.google.inject.Singleton;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.WorkspaceManager;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.Issue;
import org.eclipse.xtext.xbase.lib.Procedures.Procedure2;

/**
 * Xtext's workspace manager, which a client without workspace-folder support initializes with its root URI;
 * without a root ({@code rootUri} and {@code rootPath} null) Xtext 2.42 dereferences null. No root means no
 * folders: {@link OpenFilesWorkspaceConfigFactory} then serves the files the client opens. Its documents clamp
 * positions past a line's end as the protocol says ({@link ClampingDocument}).
 */
@Singleton
public class EdgeNNWorkspaceManager extends WorkspaceManager {
    @Override
    public void initialize(URI baseDir, Procedure2<? super URI, ? super Iterable<Issue>> issueAcceptor, CancelIndicator cancelIndicator) {
        if (baseDir == null) {
            initialize(Collections.emptyList(), issueAcceptor, cancelIndicator);
        } else {
            super.initialize(baseDir, issueAcceptor, cancelIndicator);
        }
    }

    /** Every document the manager stores is a clamping one: didOpen and each didChange put a new one here. */
    @Override
    protected Map<URI, Document> createOpenDocuments() {
        return new HashMap<>() {
            @Override
            public Document put(URI uri, Document document) {
                return super.put(uri, document == null ? null : ClampingDocument.of(document));
            }
        };
    }

    /** Documents of resources that are not open (read from disk for a request) clamp too. */
    @Override
    protected Document getDocument(XtextResource resource) {
        Document d = super.getDocument(resource);
        return d == null ? null : ClampingDocument.of(d);
    }
}
