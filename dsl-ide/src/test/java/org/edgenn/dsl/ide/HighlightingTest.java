package org.edgenn.dsl.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.edgenn.dsl.ide.editor.EdgeNNEditorServices.Highlight;
import org.edgenn.dsl.ide.editor.EditorDocument;
import org.edgenn.dsl.ide.highlighting.EdgeNNHighlightingStyles;
import org.junit.jupiter.api.Test;

/** Exact semantic highlighting ranges for a small network. */
class HighlightingTest {

    @Test
    void namesAreColouredByWhatTheyDenote() {
        String text = """
                network N {
                  input y: f32[8]
                  layer S[2] = dense(8 -> 8)
                  param t[2]: f32[1] = 0.1
                  state x: f32[8] = 0
                  unroll 2 as k {
                    x = shrink(S[k](x), t[k])
                  }
                  output x
                }
                """;
        EditorDocument doc = Editors.open(text);
        List<Highlight> semantic = doc.highlight().stream()
                .filter(h -> EdgeNNHighlightingStyles.ALL.contains(h.style())).toList();
        int body = text.indexOf("x = shrink");
        List<Highlight> expected = List.of(
                new Highlight(text.indexOf("y:"), 1, EdgeNNHighlightingStyles.VALUE),
                new Highlight(text.indexOf("S[2]"), 1, EdgeNNHighlightingStyles.LAYER),
                new Highlight(text.indexOf("dense"), 5, EdgeNNHighlightingStyles.OP),
                new Highlight(text.indexOf("t[2]"), 1, EdgeNNHighlightingStyles.PARAM),
                new Highlight(text.indexOf("x: f32"), 1, EdgeNNHighlightingStyles.STATE),
                new Highlight(text.indexOf("k {"), 1, EdgeNNHighlightingStyles.STEP),
                new Highlight(body, 1, EdgeNNHighlightingStyles.STATE),
                new Highlight(body + 4, 6, EdgeNNHighlightingStyles.OP),
                new Highlight(body + 11, 1, EdgeNNHighlightingStyles.LAYER),
                new Highlight(body + 13, 1, EdgeNNHighlightingStyles.STEP),
                new Highlight(body + 16, 1, EdgeNNHighlightingStyles.STATE),
                new Highlight(body + 20, 1, EdgeNNHighlightingStyles.PARAM),
                new Highlight(body + 22, 1, EdgeNNHighlightingStyles.STEP),
                new Highlight(text.indexOf("output x") + 7, 1, EdgeNNHighlightingStyles.STATE));
        assertEquals(sorted(expected), sorted(semantic));
    }

    @Test
    void unresolvedNamesAreNotColoured() {
        EditorDocument doc = Editors.open("network N {\n  input y: f32[8]\n  let a = nothere(y)\n  output a\n}\n");
        doc.highlight(); // a syntax error (nothere is no op): must not throw
        EditorDocument doc2 = Editors.open("network N {\n  input y: f32[8]\n  let a = relu(z)\n  output a\n}\n");
        List<Highlight> h = doc2.highlight().stream().filter(x -> EdgeNNHighlightingStyles.ALL.contains(x.style())).toList();
        int z = doc2.text().indexOf("z)");
        assertEquals(0, h.stream().filter(x -> x.offset() == z).count(), h.toString());
    }

    private static List<Highlight> sorted(List<Highlight> h) {
        return h.stream().sorted(java.util.Comparator.comparingInt(Highlight::offset).thenComparing(Highlight::style)).toList();
    }

    @Test
    void lexicalPositionsForEditorsWithoutATextMateGrammar() {
        String text = "// c\nnetwork N {\n  input y: f32[8]\n  output y\n}\n";
        EditorDocument doc = Editors.open(text);
        List<Highlight> lexical = doc.highlightAll().stream()
                .filter(h -> !EdgeNNHighlightingStyles.ALL.contains(h.style())).toList();
        assertEquals(List.of(
                new Highlight(0, 5, "comment"), // a line comment ends with its newline
                new Highlight(text.indexOf("network"), 7, "keyword"),
                new Highlight(text.indexOf("input"), 5, "keyword"),
                new Highlight(text.indexOf("f32"), 3, "keyword"),
                new Highlight(text.indexOf("8]"), 1, "number"),
                new Highlight(text.indexOf("output"), 6, "keyword")), lexical);
    }
}
