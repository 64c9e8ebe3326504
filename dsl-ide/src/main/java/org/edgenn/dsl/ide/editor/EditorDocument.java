package org.edgenn.dsl.ide.editor;

import java.util.List;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.ide.quickfix.Fix;

/**
 * One open .edgenn text and its parsed resource, with the editor services on it. Editors that are
 * not LSP clients (the Eclipse plugin, the benchmark) use this instead of the language server; it
 * is not thread-safe: one editor, one thread at a time (Eclipse's reconciler and content assist
 * run on different threads, so the plugin synchronizes on the document).
 */
public final class EditorDocument {

    private final EdgeNNEditorServices services;
    private final XtextResource resource;
    private String text;

    EditorDocument(EdgeNNEditorServices services, XtextResource resource, String text) {
        this.services = services;
        this.resource = resource;
        this.text = text;
    }

    /**
     * Brings the parse up to date with a new text. Only the changed region is handed to Xtext's
     * partial parser (it reparses the smallest enclosing rule, typically one declaration), as
     * Xtext's own editors do: a keystroke in a 500-line model costs a line, not the file.
     */
    public void setText(String newText) {
        String next = newText == null ? "" : newText;
        int prefix = 0;
        int max = Math.min(text.length(), next.length());
        while (prefix < max && text.charAt(prefix) == next.charAt(prefix)) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < max - prefix
                && text.charAt(text.length() - 1 - suffix) == next.charAt(next.length() - 1 - suffix)) {
            suffix++;
        }
        if (prefix == text.length() && prefix == next.length()) {
            return; // unchanged
        }
        resource.update(prefix, text.length() - prefix - suffix, next.substring(prefix, next.length() - suffix));
        text = next;
    }

    public String text() {
        return text;
    }

    public XtextResource resource() {
        return resource;
    }

    public List<Issue> validate() {
        return services.validate(resource, CancelIndicator.NullImpl);
    }

    public List<ContentAssistEntry> complete(int offset) {
        return services.complete(resource, text, offset);
    }

    /** Markdown-ish hover text, or null when there is nothing to show at the offset. */
    public String hover(int offset) {
        return services.hover(resource, offset);
    }

    public List<EdgeNNEditorServices.Highlight> highlight() {
        return services.highlight(resource);
    }

    /** Lexical then semantic positions: an editor that applies them in order gets semantic colours on top. */
    public List<EdgeNNEditorServices.Highlight> highlightAll() {
        List<EdgeNNEditorServices.Highlight> all = new java.util.ArrayList<>(
                LexicalHighlighter.highlight(resource));
        all.addAll(highlight());
        return all;
    }

    /** The fixes for the issues whose range touches {@code offset} (the editor's quick-assist position). */
    public List<Fix> fixesAt(int offset) {
        List<Fix> out = new java.util.ArrayList<>();
        for (Issue i : validate()) {
            if (i.getOffset() != null && i.getOffset() <= offset && offset <= i.getOffset() + i.getLength()) {
                out.addAll(fixes(i));
            }
        }
        return out;
    }

    /** The outline: networks, accelerators and train blocks with their members (the LSP document symbols). */
    public List<org.edgenn.dsl.ide.outline.EdgeNNOutline.Node> outline() {
        return services.outline(resource, text);
    }

    public List<Fix> fixes(Issue issue) {
        return services.fixes(resource, text, issue);
    }
}
