package org.edgenn.dsl.ide.hover;

import com.google.inject.Inject;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.ide.server.hover.HoverService;

/** LSP hover: {@link LayerFacts} for declarations and op names, Xtext's documentation otherwise. */
public class EdgeNNHoverService extends HoverService {

    @Inject
    private LayerFacts facts;

    @Override
    public String getContents(EObject element) {
        String text = facts.describe(element);
        return text != null ? text : super.getContents(element);
    }
}
