package org.edgenn.dsl.ide.server;

import java.util.List;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.xtext.ide.server.Document;

/**
 * An open document whose positions follow the protocol: "if the character value is greater than the line
 * length it defaults back to the line length" (LSP 3.17, Position). Xtext's {@link Document} throws instead,
 * and the client gets an internal error for a hover or completion just past a line's end. A line past the
 * last one is the end of the text; negative values are 0.
 */
final class ClampingDocument extends Document {

    ClampingDocument(Integer version, String contents, boolean printSourceOnError) {
        super(version, contents, printSourceOnError);
    }

    static ClampingDocument of(Document d) {
        return d instanceof ClampingDocument ? (ClampingDocument) d
                : new ClampingDocument(d.getVersion(), d.getContents(), d.isPrintSourceOnError());
    }

    @Override
    public int getOffSet(Position position) {
        return super.getOffSet(clamp(position));
    }

    /** One change at a time, each on a clamping document (Xtext's loop would build plain ones in between). */
    @Override
    public Document applyTextDocumentChanges(Iterable<? extends TextDocumentContentChangeEvent> changes) {
        ClampingDocument d = this;
        for (TextDocumentContentChangeEvent change : changes) d = of(d.applyOne(change));
        return d;
    }

    private Document applyOne(TextDocumentContentChangeEvent change) {
        return super.applyTextDocumentChanges(List.of(change));
    }

    /** The nearest position inside the text. */
    Position clamp(Position p) {
        String text = getContents();
        int line = Math.max(0, p.getLine());
        int start = 0;
        for (int l = 0; l < line; l++) {
            int next = text.indexOf('\n', start);
            if (next < 0) return lastPosition(text);
            start = next + 1;
        }
        int end = text.indexOf('\n', start);
        if (end < 0) end = text.length();
        if (end > start && text.charAt(end - 1) == '\r') end--;
        int character = Math.min(Math.max(0, p.getCharacter()), end - start);
        return new Position(line, character);
    }

    private static Position lastPosition(String text) {
        int lines = 0, lineStart = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
                lineStart = i + 1;
            }
        }
        return new Position(lines, text.length() - lineStart);
    }
}
