package org.edgenn.dsl.ide;

import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.eclipse.xtext.ide.editor.quickfix.IQuickFixProvider;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.eclipse.xtext.ide.server.codeActions.QuickFixCodeActionService;
import org.eclipse.xtext.ide.server.hover.IHoverService;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper;
import org.edgenn.dsl.ide.contentassist.EdgeNNIdeContentProposalProvider;
import org.edgenn.dsl.ide.highlighting.EdgeNNSemanticHighlightingCalculator;
import org.edgenn.dsl.ide.hover.EdgeNNHoverService;
import org.edgenn.dsl.ide.outline.EdgeNNSymbolKindProvider;
import org.edgenn.dsl.ide.outline.EdgeNNSymbolNameProvider;
import org.edgenn.dsl.ide.quickfix.EdgeNNQuickfixProvider;

/**
 * The editor-independent services of .edgenn. The language server and the Eclipse plugin both get
 * their injector from {@link EdgeNNIdeSetup}, so every editor shows the same proposals, colours,
 * hovers and fixes.
 */
public class EdgeNNIdeModule extends AbstractEdgeNNIdeModule {

    /** Hovers show latency and energy on a declared target, from the mapper's quick search. */
    public Class<? extends org.edgenn.dsl.ide.hover.TargetCostModel> bindTargetCostModel() {
        return org.edgenn.dsl.ide.hover.MappedCostModel.class;
    }

    public Class<? extends IdeContentProposalProvider> bindIdeContentProposalProvider() {
        return EdgeNNIdeContentProposalProvider.class;
    }

    public Class<? extends ISemanticHighlightingCalculator> bindISemanticHighlightingCalculator() {
        return EdgeNNSemanticHighlightingCalculator.class;
    }

    public Class<? extends IHoverService> bindIHoverService() {
        return EdgeNNHoverService.class;
    }

    public Class<? extends IQuickFixProvider> bindIQuickFixProvider() {
        return EdgeNNQuickfixProvider.class;
    }

    public Class<? extends DocumentSymbolMapper.DocumentSymbolNameProvider> bindDocumentSymbolNameProvider() {
        return EdgeNNSymbolNameProvider.class;
    }

    public Class<? extends DocumentSymbolMapper.DocumentSymbolKindProvider> bindDocumentSymbolKindProvider() {
        return EdgeNNSymbolKindProvider.class;
    }

    public Class<? extends DocumentSymbolMapper.DocumentSymbolDetailsProvider> bindDocumentSymbolDetailsProvider() {
        return org.edgenn.dsl.ide.outline.EdgeNNSymbolDetailsProvider.class;
    }

    public Class<? extends org.eclipse.xtext.ide.server.ICapabilitiesContributor> bindICapabilitiesContributor() {
        return org.edgenn.dsl.ide.server.EdgeNNCapabilities.class;
    }

    // LSP code actions come from the quick-fix provider
    public Class<? extends ICodeActionService2> bindICodeActionService2() {
        return QuickFixCodeActionService.class;
    }
}
