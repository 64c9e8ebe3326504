package org.edgenn.dsl.ide.editor;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistContext;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalAcceptor;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.eclipse.xtext.ide.editor.contentassist.antlr.ContentAssistContextFactory;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.IResourceFactory;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.util.LazyStringInputStream;
import org.eclipse.xtext.util.TextRegion;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.ide.hover.LayerFacts;
import org.edgenn.dsl.ide.quickfix.EdgeNNFixes;
import org.edgenn.dsl.ide.quickfix.Fix;

/**
 * The IDE services of the language on plain text and offsets, the same ones the language server
 * uses (content assist, validation, highlighting, hover, fixes), for editors that are not LSP
 * clients. Obtain it from the injector of {@code EdgeNNIdeSetup}.
 */
@Singleton
public class EdgeNNEditorServices {

    /** A position to colour: {@code style} is one of Xtext's lexical ids or an EdgeNNHighlightingStyles id. */
    public record Highlight(int offset, int length, String style) {
    }

    @Inject
    private Provider<XtextResourceSet> resourceSets;
    @Inject
    private IResourceFactory resourceFactory;
    @Inject
    private IResourceValidator validator;
    @Inject
    private Provider<ContentAssistContextFactory> contextFactories;
    @Inject
    private IdeContentProposalProvider proposals;
    @Inject
    private Provider<IdeContentProposalAcceptor> acceptors;
    @Inject
    private ISemanticHighlightingCalculator highlighting;
    @Inject
    private EObjectAtOffsetHelper atOffset;
    @Inject
    private LayerFacts facts;
    @Inject
    private EdgeNNFixes fixes;
    @Inject
    private org.edgenn.dsl.ide.outline.EdgeNNOutline outline;

    // the content-assist parser explores follow elements in parallel; daemon threads never keep an editor alive
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "edgenn-content-assist");
        t.setDaemon(true);
        return t;
    });

    /** Parses {@code text} as the file at {@code uri} (imports resolve relative to it) in a resource set of its own. */
    public EditorDocument open(URI uri, String text) {
        XtextResourceSet set = resourceSets.get();
        // this injector's factory, not the global registry's: another injector (a language server in the same
        // JVM) may have registered .edgenn there, and its parser's grammar objects are not ours
        set.getResourceFactoryRegistry().getExtensionToFactoryMap().put("edgenn", resourceFactory);
        XtextResource resource = (XtextResource) set.createResource(uri);
        String t = text == null ? "" : text;
        try {
            resource.load(new LazyStringInputStream(t), set.getLoadOptions());
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen: reading a string", e);
        }
        return new EditorDocument(this, resource, t);
    }

    List<Issue> validate(XtextResource resource, CancelIndicator cancel) {
        return validator.validate(resource, CheckMode.ALL, cancel);
    }

    List<ContentAssistEntry> complete(XtextResource resource, String text, int offset) {
        if (offset < 0 || offset > text.length()) {
            return List.of();
        }
        ContentAssistContextFactory factory = contextFactories.get();
        factory.setPool(pool);
        ContentAssistContext[] contexts = factory.create(text, new TextRegion(offset, 0), offset, resource);
        IdeContentProposalAcceptor acceptor = acceptors.get();
        proposals.createProposals(Arrays.asList(contexts), acceptor);
        List<ContentAssistEntry> entries = new ArrayList<>();
        acceptor.getEntries().forEach(entries::add);
        return entries;
    }

    String hover(XtextResource resource, int offset) {
        if (offset < 0 || resource.getParseResult() == null
                || offset > resource.getParseResult().getRootNode().getTotalEndOffset()) {
            return null; // Xtext's offset helper throws on negative offsets
        }
        EObject element = atOffset.resolveElementAt(resource, offset);
        return facts.describe(element);
    }

    List<Highlight> highlight(XtextResource resource) {
        List<Highlight> out = new ArrayList<>();
        // the first style is ours; a second one is the LSP token type, which editors here do not need
        highlighting.provideHighlightingFor(resource, (offset, length, styles) -> {
            if (styles.length > 0) {
                out.add(new Highlight(offset, length, styles[0]));
            }
        }, CancelIndicator.NullImpl);
        return out;
    }

    List<org.edgenn.dsl.ide.outline.EdgeNNOutline.Node> outline(XtextResource resource, String text) {
        return outline.outline(resource, text);
    }

    List<Fix> fixes(XtextResource resource, String text, Issue issue) {
        return fixes.fixes(resource, text, issue.getCode(), issue.getOffset(), issue.getLength());
    }
}
