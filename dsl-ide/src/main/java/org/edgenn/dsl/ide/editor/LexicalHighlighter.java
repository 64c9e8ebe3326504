package org.edgenn.dsl.ide.editor;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EnumLiteralDeclaration;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.RuleCall;
import org.eclipse.xtext.TerminalRule;
import org.eclipse.xtext.ide.editor.syntaxcoloring.HighlightingStyles;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.resource.XtextResource;

/**
 * Keywords, numbers, strings and comments from the parse tree's leaves. LSP clients colour these
 * with their own TextMate grammar; the Eclipse Generic Editor has none, so the plugin asks here.
 */
final class LexicalHighlighter {

    private LexicalHighlighter() {
    }

    public static List<EdgeNNEditorServices.Highlight> highlight(XtextResource resource) {
        List<EdgeNNEditorServices.Highlight> out = new ArrayList<>();
        if (resource.getParseResult() == null) {
            return out;
        }
        for (ILeafNode leaf : resource.getParseResult().getRootNode().getLeafNodes()) {
            String style = styleOf(leaf);
            if (style != null && leaf.getLength() > 0) {
                out.add(new EdgeNNEditorServices.Highlight(leaf.getOffset(), leaf.getLength(), style));
            }
        }
        return out;
    }

    private static String styleOf(ILeafNode leaf) {
        EObject g = leaf.getGrammarElement();
        if (g instanceof Keyword k) {
            return Character.isLetter(k.getValue().charAt(0)) ? HighlightingStyles.KEYWORD_ID : null;
        }
        if (g instanceof EnumLiteralDeclaration) {
            return HighlightingStyles.KEYWORD_ID; // f32, int8, per-channel
        }
        if (g instanceof RuleCall rc && rc.getRule() instanceof TerminalRule t) {
            return switch (t.getName()) {
                case "ML_COMMENT", "SL_COMMENT" -> HighlightingStyles.COMMENT_ID;
                case "INT", "REAL" -> HighlightingStyles.NUMBER_ID;
                case "STRING" -> HighlightingStyles.STRING_ID;
                default -> null;
            };
        }
        if (g instanceof TerminalRule t && (t.getName().endsWith("COMMENT"))) {
            return HighlightingStyles.COMMENT_ID; // hidden tokens point at the rule itself
        }
        return null;
    }
}
