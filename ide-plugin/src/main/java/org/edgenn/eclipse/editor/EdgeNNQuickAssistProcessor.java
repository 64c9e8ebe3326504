package org.edgenn.eclipse.editor;

import java.util.List;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.contentassist.CompletionProposal;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.jface.text.quickassist.IQuickAssistInvocationContext;
import org.eclipse.jface.text.quickassist.IQuickAssistProcessor;
import org.eclipse.jface.text.source.Annotation;
import org.edgenn.dsl.ide.quickfix.Fix;
import org.edgenn.eclipse.EdgeNNDocuments;

/** Quick fixes (Ctrl+1) at the cursor: dsl-ide's fixes as text replacements. */
public class EdgeNNQuickAssistProcessor implements IQuickAssistProcessor {

    @Override
    public ICompletionProposal[] computeQuickAssistProposals(IQuickAssistInvocationContext context) {
        return proposals(context.getSourceViewer().getDocument(), context.getOffset()).toArray(ICompletionProposal[]::new);
    }

    public static List<ICompletionProposal> proposals(IDocument document, int offset) {
        List<Fix> fixes = EdgeNNDocuments.with(document, d -> d.fixesAt(offset));
        return fixes.stream().map(f -> (ICompletionProposal) new CompletionProposal(f.replacement(), f.offset(), f.length(),
                f.replacement().length(), null, f.label(), null, null)).toList();
    }

    @Override
    public String getErrorMessage() {
        return null;
    }

    @Override
    public boolean canFix(Annotation annotation) {
        return true;
    }

    @Override
    public boolean canAssist(IQuickAssistInvocationContext context) {
        return true;
    }
}
