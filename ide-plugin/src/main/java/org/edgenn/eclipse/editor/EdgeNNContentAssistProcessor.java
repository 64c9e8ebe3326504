package org.edgenn.eclipse.editor;

import java.util.List;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.contentassist.CompletionProposal;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.jface.text.contentassist.IContentAssistProcessor;
import org.eclipse.jface.text.contentassist.IContextInformation;
import org.eclipse.jface.text.contentassist.IContextInformationValidator;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.edgenn.eclipse.EdgeNNDocuments;

/** Generic Editor content assist: the entries of Xtext's IDE proposal provider as JFace proposals. */
public class EdgeNNContentAssistProcessor implements IContentAssistProcessor {

    @Override
    public ICompletionProposal[] computeCompletionProposals(ITextViewer viewer, int offset) {
        return proposals(viewer.getDocument(), offset).toArray(ICompletionProposal[]::new);
    }

    public static List<ICompletionProposal> proposals(IDocument document, int offset) {
        List<ContentAssistEntry> entries = EdgeNNDocuments.with(document, d -> d.complete(offset));
        return entries.stream().map(e -> toProposal(e, offset)).toList();
    }

    private static ICompletionProposal toProposal(ContentAssistEntry e, int offset) {
        int prefix = e.getPrefix() == null ? 0 : e.getPrefix().length();
        String label = e.getLabel() != null ? e.getLabel() : e.getProposal();
        String display = e.getDescription() == null ? label : label + " - " + e.getDescription();
        return new CompletionProposal(e.getProposal(), offset - prefix, prefix, e.getProposal().length(), null, display,
                null, e.getDocumentation());
    }

    @Override
    public IContextInformation[] computeContextInformation(ITextViewer viewer, int offset) {
        return null;
    }

    @Override
    public char[] getCompletionProposalAutoActivationCharacters() {
        return new char[] {'(', ',', '='};
    }

    @Override
    public char[] getContextInformationAutoActivationCharacters() {
        return null;
    }

    @Override
    public String getErrorMessage() {
        return null;
    }

    @Override
    public IContextInformationValidator getContextInformationValidator() {
        return null;
    }
}
