package org.edgenn.dsl.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.emf.common.util.URI;
import org.eclipse.lsp4j.SymbolKind;
import org.edgenn.dsl.ide.editor.EditorDocument;
import org.edgenn.dsl.ide.outline.EdgeNNOutline.Node;
import org.junit.jupiter.api.Test;

/**
 * The outline tree with text offsets (what the Eclipse outline page shows; the same tree as the
 * language server's document symbols) on an example file.
 */
class OutlineTest {

    private static final Path CSC = Path.of("../examples/src/main/edgenn/denoise/csc_denoiser.edgenn");

    private static EditorDocument open(Path file, String text) {
        return Editors.services().open(URI.createFileURI(file.toAbsolutePath().normalize().toString()), text);
    }

    private static List<String> names(List<Node> nodes) {
        return nodes.stream().map(Node::name).toList();
    }

    private static Node child(Node parent, String name) {
        return parent.children().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + names(parent.children())));
    }

    /** The node's whole range and its selected part, as text. */
    private static List<String> texts(String text, Node n) {
        return List.of(text.substring(n.offset(), n.offset() + n.length()),
                text.substring(n.nameOffset(), n.nameOffset() + n.nameLength()));
    }

    @Test
    void exampleFileHasNetworkAndTrainBlockWithTheirMembers() throws Exception {
        String text = Files.readString(CSC);
        List<Node> outline = open(CSC, text).outline();
        // the package is not a level of its own: networks, accelerators and train blocks are the top
        assertEquals(List.of("CscDenoiser", "train CscDenoiser"), names(outline));

        Node net = outline.get(0);
        assertEquals(SymbolKind.Class, net.kind());
        assertEquals("network", net.detail());
        assertEquals(text.indexOf("network CscDenoiser"), net.offset());
        assertEquals(text.indexOf("\n}\n\ntrain") + 2, net.offset() + net.length(), "up to its closing brace");
        assertEquals("CscDenoiser", texts(text, net).get(1));
        // every member kind; compress is a block of settings, not a member, and the assignment in the unroll names nothing
        assertEquals(List.of("noisy", "clean", "A", "B", "D", "theta", "z", "unroll 8 as k", "denoised", "output denoised",
                "loss mse(denoised, clean)"), names(net.children()));
        assertEquals(List.of("input", "label", "layer", "layer", "layer", "param", "state", "", "let", "", ""),
                net.children().stream().map(Node::detail).toList());
        assertEquals(List.of(SymbolKind.Field, SymbolKind.Field, SymbolKind.Function, SymbolKind.Function, SymbolKind.Function,
                SymbolKind.Constant, SymbolKind.Variable, SymbolKind.Namespace, SymbolKind.Variable, SymbolKind.Event,
                SymbolKind.Operator), net.children().stream().map(Node::kind).toList());

        // a layer: the declaration without its trailing comment, the name selected
        Node a = child(net, "A");
        assertEquals(List.of("layer A = conv2d(64 -> 1, kernel=7, padding=3, bias=false)", "A"), texts(text, a));
        assertEquals(text.indexOf("layer A"), a.offset());

        // the unroll block and the let nested in it
        Node unroll = child(net, "unroll 8 as k");
        assertEquals(text.indexOf("unroll 8 as k"), unroll.offset());
        assertEquals("k", texts(text, unroll).get(1));
        assertEquals(text.indexOf("  }\n  let denoised") + 3, unroll.offset() + unroll.length());
        assertEquals(List.of("residual"), names(unroll.children()));
        Node residual = unroll.children().get(0);
        assertEquals(List.of("let residual = A(z) - noisy", "residual"), texts(text, residual));
        assertEquals(text.indexOf("let residual"), residual.offset());
        assertEquals(List.of(), residual.children());

        assertEquals(List.of("output denoised", "output"), texts(text, child(net, "output denoised")));
        assertEquals(List.of("loss mse(denoised, clean)", "loss"), texts(text, child(net, "loss mse(denoised, clean)")));

        // the train block: its settings by their text, long ones cut
        Node train = outline.get(1);
        assertEquals(SymbolKind.Module, train.kind());
        assertEquals(text.indexOf("train CscDenoiser {"), train.offset());
        assertEquals(List.of("data image_patches(dir=\"images\", patch=64, sigm…", "optimizer adam(lr=1e-3)", "epochs 20",
                "batch 16", "seed 3"), names(train.children()));
        assertEquals(List.of("epochs 20", "epochs"), texts(text, child(train, "epochs 20")));
    }

    @Test
    void acceleratorsListTheirAxesAndMemories() {
        String text = Editors.LISTA;
        List<Node> outline = open(Path.of("lista.edgenn"), text).outline();
        assertEquals(List.of("Tiny16", "Lista"), names(outline));
        Node acc = outline.get(0);
        assertEquals(SymbolKind.Struct, acc.kind());
        assertEquals(List.of("rows", "cols", "rf", "gbuf", "dram"), names(acc.children()));
        assertEquals(List.of("axis", "axis", "memory", "memory", "memory"), acc.children().stream().map(Node::detail).toList());
        assertEquals(List.of("axis rows 16 unrolls K", "rows"), texts(text, acc.children().get(0)));
    }

    @Test
    void offsetsFollowEditsAndWindowsLineEnds() {
        String text = "network N {\r\n  input y: f32[8]\r\n  output y\r\n}\r\n";
        EditorDocument doc = open(Path.of("crlf.edgenn"), text);
        Node y = doc.outline().get(0).children().get(0);
        assertEquals(List.of("input y: f32[8]", "y"), texts(text, y));

        // an edit above shifts the members; a new let appears in place
        String edited = "// a comment\r\nnetwork N {\r\n  input y: f32[8]\r\n  let r = relu(y)\r\n  output r\r\n}\r\n";
        doc.setText(edited);
        Node net = doc.outline().get(0);
        assertEquals(List.of("y", "r", "output r"), names(net.children()));
        assertEquals(List.of("let r = relu(y)", "r"), texts(edited, net.children().get(1)));
        assertEquals(List.of("input y: f32[8]", "y"), texts(edited, net.children().get(0)));
    }

    @Test
    void brokenTextGivesWhatParses() {
        EditorDocument doc = open(Path.of("broken.edgenn"), "network N {\n  input y: f32[8]\n  let = \n");
        assertEquals(List.of("N"), names(doc.outline()));
        assertEquals(List.of(), open(Path.of("empty.edgenn"), "").outline());
    }
}
