package org.edgenn.dsl.ide.outline;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.xtext.ide.server.symbol.HierarchicalDocumentSymbolService;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

/**
 * The outline of a file as a tree with text offsets, for editors that are not LSP clients (the
 * Eclipse plugin's outline page). It is the language server's document-symbol tree (Xtext's
 * {@link HierarchicalDocumentSymbolService} with {@link EdgeNNSymbolNameProvider},
 * {@link EdgeNNSymbolKindProvider} and {@link EdgeNNSymbolDetailsProvider}), its line/character
 * ranges turned back into offsets of the text: every editor shows the same outline.
 */
@Singleton
public class EdgeNNOutline {

    /**
     * One outline entry: {@code offset}/{@code length} cover the whole declaration or statement,
     * {@code nameOffset}/{@code nameLength} the part to select (its name where it has one).
     * {@code detail} is the declaration's keyword ("layer", "param", ...) or empty.
     */
    public record Node(String name, String detail, SymbolKind kind, int offset, int length, int nameOffset, int nameLength,
                       List<Node> children) {
    }

    @Inject
    private HierarchicalDocumentSymbolService symbols;

    /** The outline of {@code resource}, whose text is {@code text}: the top-level elements, in document order. */
    public List<Node> outline(XtextResource resource, String text) {
        if (resource.getParseResult() == null) {
            return List.of();
        }
        int[] lineStarts = lineStarts(text);
        List<Node> out = new ArrayList<>();
        for (DocumentSymbol s : symbols.getSymbols(resource, CancelIndicator.NullImpl)) {
            out.add(node(s, lineStarts, text.length()));
        }
        return out;
    }

    private static Node node(DocumentSymbol s, int[] lineStarts, int max) {
        int start = offset(s.getRange().getStart(), lineStarts, max);
        int end = offset(s.getRange().getEnd(), lineStarts, max);
        int nameStart = offset(s.getSelectionRange().getStart(), lineStarts, max);
        int nameEnd = offset(s.getSelectionRange().getEnd(), lineStarts, max);
        List<Node> children = new ArrayList<>();
        if (s.getChildren() != null) {
            for (DocumentSymbol c : s.getChildren()) {
                children.add(node(c, lineStarts, max));
            }
        }
        return new Node(s.getName(), s.getDetail() == null ? "" : s.getDetail(), s.getKind(), start, Math.max(0, end - start),
                nameStart, Math.max(0, nameEnd - nameStart), List.copyOf(children));
    }

    /** LSP positions count lines ended by \n, \r\n or \r (as Xtext's DocumentExtensions does) and UTF-16 chars. */
    private static int offset(Position p, int[] lineStarts, int max) {
        if (p.getLine() >= lineStarts.length) {
            return max;
        }
        return Math.min(max, lineStarts[p.getLine()] + p.getCharacter());
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                i++;
            }
            if (c == '\n' || c == '\r') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }
}
