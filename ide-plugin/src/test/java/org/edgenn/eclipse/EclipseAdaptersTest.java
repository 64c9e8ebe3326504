package org.edgenn.eclipse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.Arrays;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.emf.common.util.URI;
import org.eclipse.jface.text.Document;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;
import org.edgenn.dsl.ide.editor.EdgeNNEditorServices.Highlight;
import org.edgenn.dsl.ide.outline.EdgeNNOutline.Node;
import org.edgenn.dsl.ide.highlighting.EdgeNNHighlightingStyles;
import org.edgenn.eclipse.builder.FileGeneration;
import org.edgenn.eclipse.builder.FileProblems;
import org.edgenn.eclipse.editor.EdgeNNContentAssistProcessor;
import org.edgenn.eclipse.editor.EdgeNNOutlineAdapterFactory;
import org.edgenn.eclipse.editor.EdgeNNOutlineContent;
import org.edgenn.eclipse.editor.EdgeNNPresentationReconciler;
import org.edgenn.eclipse.editor.EdgeNNQuickAssistProcessor;
import org.edgenn.eclipse.editor.EdgeNNReconciler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Eclipse adapters on JFace documents, without a workbench: what remains untested in the
 * plugin is the one-line handing of these results to the viewer (see docs/ide.md).
 */
class EclipseAdaptersTest {

    private static final String NET = "network N {\n  input y: f32[1, 28, 28]\n  let c = conv2d(y, 1 -> 8, bais=true, kernel=3)\n"
            + "  output c\n}\n";

    @Test
    void contentAssistProposalApplyToTheDocument() {
        String text = "network N {\n  input y: f32[1, 28, 28]\n  let c = conv2d(y, 1 -> 8, ke)\n  output c\n}\n";
        IDocument doc = new Document(text);
        int at = text.indexOf("ke)") + 2;
        List<ICompletionProposal> proposals = EdgeNNContentAssistProcessor.proposals(doc, at);
        ICompletionProposal kernel = proposals.stream().filter(p -> p.getDisplayString().startsWith("kernel")).findFirst()
                .orElseThrow(() -> new AssertionError(proposals.stream().map(ICompletionProposal::getDisplayString).toList()));
        assertEquals("kernel - conv2d attribute", kernel.getDisplayString());
        kernel.apply(doc);
        assertEquals(text.replace("ke)", "kernel=)"), doc.get());
    }

    @Test
    void annotationsFollowTheText() {
        IDocument doc = new Document(NET);
        Map<Annotation, Position> shown = EdgeNNReconciler.annotations(doc);
        assertEquals(1, shown.size(), shown.toString());
        var e = shown.entrySet().iterator().next();
        assertEquals("org.eclipse.ui.workbench.texteditor.error", e.getKey().getType());
        assertEquals(new Position(NET.indexOf("bais"), 4), e.getValue());

        doc.set(NET.replace("bais", "bias"));
        assertEquals(Map.of(), EdgeNNReconciler.annotations(doc));
    }

    @Test
    void quickAssistAppliesTheFixAtTheCursor() {
        IDocument doc = new Document(NET);
        List<ICompletionProposal> fixes = EdgeNNQuickAssistProcessor.proposals(doc, NET.indexOf("bais") + 2);
        assertEquals(List.of("Change to 'bias'"), fixes.stream().map(ICompletionProposal::getDisplayString).toList());
        fixes.get(0).apply(doc);
        assertEquals(NET.replace("bais", "bias"), doc.get());
        assertEquals(List.of(), EdgeNNQuickAssistProcessor.proposals(doc, 3), "no issue at the cursor, no fix");
    }

    @Test
    void hoverTextIsPlain() {
        assertEquals("layer We = dense\n\noutput [500]", org.edgenn.eclipse.editor.EdgeNNTextHover.plain(
                "**layer We = dense**\n\noutput [500]"));
    }

    @Test
    void colouringPositionsIncludeKeywordsAndOps() {
        IDocument doc = new Document(NET);
        List<Highlight> h = EdgeNNPresentationReconciler.highlights(doc);
        assertTrue(h.contains(new Highlight(0, 7, "keyword")), h.toString());
        assertTrue(h.contains(new Highlight(NET.indexOf("conv2d"), 6, EdgeNNHighlightingStyles.OP)), h.toString());
    }

    @Test
    void outlineContentAndLabelsFollowTheDocument() {
        String text = "network N {\n  input y: f32[8]\n  unroll 2 as k {\n    let r = relu(y)\n  }\n  output y\n}\n"
                + "train N {\n  epochs 3\n}\n";
        IDocument doc = new Document(text);
        EdgeNNOutlineContent content = new EdgeNNOutlineContent();
        EdgeNNOutlineContent.Labels labels = new EdgeNNOutlineContent.Labels();
        Object[] top = content.getElements(EdgeNNOutlineContent.tree(doc));
        assertEquals(List.of("N : network", "train N"), Arrays.stream(top).map(labels::getText).toList());
        Object[] members = content.getChildren(top[0]);
        assertEquals(List.of("y : input", "unroll 2 as k", "output y"), Arrays.stream(members).map(labels::getText).toList());
        assertTrue(content.hasChildren(members[1]));
        assertFalse(content.hasChildren(members[0]));
        Object[] lets = content.getChildren(members[1]);
        assertEquals(List.of("r : let"), Arrays.stream(lets).map(labels::getText).toList());
        Node r = (Node) lets[0];
        assertEquals(text.indexOf("let r"), r.offset());
        assertEquals("let r = relu(y)".length(), r.length());
        assertEquals(text.indexOf("r = relu"), r.nameOffset());
        assertEquals(1, r.nameLength());
        assertEquals(List.of("epochs 3"), Arrays.stream(content.getChildren(top[1])).map(labels::getText).toList());

        // after an edit the tree is rebuilt from the new text; the viewer still matches the same declarations
        doc.set("// moved\n" + text.replace("let r", "let q"));
        Object[] edited = content.getChildren(content.getElements(EdgeNNOutlineContent.tree(doc))[0]);
        Node y = (Node) edited[0];
        assertEquals(doc.get().indexOf("input y"), y.offset());
        EdgeNNOutlineContent.SameDeclaration same = new EdgeNNOutlineContent.SameDeclaration();
        assertTrue(same.equals(members[0], edited[0]), "same input at another offset");
        assertEquals(same.hashCode(members[0]), same.hashCode(edited[0]));
        assertFalse(same.equals(lets[0], content.getChildren(edited[1])[0]), "r renamed to q");
    }

    @Test
    void outlineAdapterOnlyForEdgeNNEditors() {
        // (an ITextEditor proxy would load SWT's native library: the editor side is checked on its input)
        EdgeNNOutlineAdapterFactory factory = new EdgeNNOutlineAdapterFactory();
        assertEquals(List.of(IContentOutlinePage.class), List.of(factory.getAdapterList()));
        assertTrue(EdgeNNOutlineAdapterFactory.isEdgeNN(input("n.edgenn")));
        assertFalse(EdgeNNOutlineAdapterFactory.isEdgeNN(input("notes.txt")));
        assertFalse(EdgeNNOutlineAdapterFactory.isEdgeNN(null));
        assertNull(factory.getAdapter("not an editor", IContentOutlinePage.class));
    }

    /** An editor input of that name; every other method answers null. */
    private static IEditorInput input(String name) {
        return (IEditorInput) Proxy.newProxyInstance(IEditorInput.class.getClassLoader(), new Class<?>[] {IEditorInput.class},
                (proxy, m, args) -> m.getName().equals("getName") ? name : null);
    }

    @Test
    void builderProblemsResolveImportsFromDisk(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("targets"));
        Files.writeString(dir.resolve("targets/t.edgenn"), "accelerator T {\n  mac int8 accumulator int32\n  clock 400 MHz\n"
                + "  axis rows 16 unrolls K\n  memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B\n}\n");
        String model = "import \"targets/t.edgenn\"\nnetwork N {\n  input y: f32[8]\n  output y\n"
                + "  compress { budget latency < 1 ms on T }\n}\n";
        Path file = dir.resolve("n.edgenn");
        Files.writeString(file, model);
        assertEquals(List.of(), FileProblems.of(URI.createFileURI(file.toString()), model).stream()
                .filter(FileProblems.Problem::error).toList());

        String broken = model.replace("on T", "on U");
        List<FileProblems.Problem> problems = FileProblems.of(URI.createFileURI(file.toString()), broken);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(5, problems.get(0).line());
        assertEquals(broken.indexOf("U }"), problems.get(0).start());
    }

    @Test
    void buildGeneratesMappingTablesForEachTargetOfACleanFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("t.edgenn"), "accelerator T {\n  mac int8 accumulator int32\n  clock 400 MHz\n"
                + "  axis rows 16 unrolls K\n  axis cols 16 unrolls C\n"
                + "  memory gbuf size 64 KiB holds W, I, O read 1.5 pJ/B\n"
                + "  memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B\n}\n");
        String model = "import \"t.edgenn\"\nnetwork N {\n  input y: f32[64]\n  let h = dense(y, 64 -> 32)\n  output h\n"
                + "  compress { budget latency < 1 ms on T }\n}\n";
        Path file = dir.resolve("n.edgenn");
        Files.writeString(file, model);
        Path out = dir.resolve("edgenn-gen");
        List<Path> written = FileGeneration.of(URI.createFileURI(file.toString()), model, out);
        assertEquals(List.of(out.resolve("T/N.mapping.json"), out.resolve("T/N.mapping.csv"), out.resolve("T/N.mapping.md")),
                written);
        assertTrue(Files.readString(out.resolve("T/N.mapping.json")).contains("\"h\""));
        // a file with errors generates nothing (and keeps what an earlier clean save wrote)
        assertEquals(List.of(), FileGeneration.of(URI.createFileURI(file.toString()), model.replace("64 -> 32", "65 -> 32"), out));
        assertTrue(Files.exists(out.resolve("T/N.mapping.json")));
    }
}
