package org.edgenn.dsl.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.edgenn.dsl.ide.editor.EditorDocument;
import org.junit.jupiter.api.Test;

/** Proposals at chosen cursor positions: what must be offered and what must not. */
class ContentAssistTest {

    private static List<String> proposals(String marked) {
        int at = Editors.cursor(marked);
        EditorDocument doc = Editors.open(marked.substring(0, at) + marked.substring(at + 1));
        return doc.complete(at).stream().map(ContentAssistEntry::getProposal).toList();
    }

    private static final String NET = "network N {\n  input y: f32[1, 28, 28]\n";

    @Test
    void attributeNamesOfTheOpAtTheCursor() {
        List<String> conv = proposals(NET + "  let c = conv2d(y, 1 -> 8, |)\n  output c\n}\n");
        for (String a : List.of("kernel=", "stride=", "padding=", "dilation=", "groups=", "bias=", "init=")) {
            assertTrue(conv.contains(a), a + " missing in " + conv);
        }
        assertFalse(conv.contains("factor="), "upsample's attribute offered for conv2d: " + conv);

        List<String> up = proposals(NET + "  let u = upsample(y, |)\n  output u\n}\n");
        assertTrue(up.containsAll(List.of("factor=", "mode=")), up.toString());
        assertFalse(up.contains("kernel="), up.toString());
    }

    @Test
    void attributePrefixFilters() {
        List<String> p = proposals(NET + "  let c = conv2d(y, 1 -> 8, ke|)\n  output c\n}\n");
        assertTrue(p.contains("kernel="), p.toString());
        assertFalse(p.contains("stride="), p.toString());
    }

    @Test
    void initializersAfterInit() {
        List<String> p = proposals(NET + "  layer L = conv2d(1 -> 8, kernel=3, init=|)\n  let c = L(y)\n  output c\n}\n");
        assertTrue(p.containsAll(List.of("he", "xavier", "gaussian", "sobel_x", "ista_s")), p.toString());
        assertFalse(p.contains("nearest"), p.toString());
    }

    private static final String TRAINED = "network N {\n  input x: f32[16]\n  label t: f32[16]\n  output x\n}\n";

    @Test
    void trainingVocabularyAfterItsKeywords() {
        List<String> opt = proposals(TRAINED + "train N {\n  optimizer |\n}\n");
        assertTrue(opt.containsAll(List.of("adam", "adamw", "sgd", "rmsprop")), opt.toString());
        assertFalse(opt.contains("cosine"), opt.toString());
        List<String> data = proposals(TRAINED + "train N {\n  data |\n}\n");
        assertTrue(data.containsAll(List.of("synthetic_sparse", "fashion_mnist", "idx", "image_patches", "image_pairs")), data.toString());
        List<String> sched = proposals(TRAINED + "train N {\n  schedule |\n}\n");
        assertTrue(sched.containsAll(List.of("constant", "cosine", "step", "exponential")), sched.toString());
    }

    @Test
    void argumentsOfTheTermAtTheCursor() {
        List<String> adam = proposals(TRAINED + "train N {\n  optimizer adamw(|)\n}\n");
        assertTrue(adam.containsAll(List.of("lr=", "weight_decay=")), adam.toString());
        assertFalse(adam.contains("kernel="), adam.toString());
        List<String> data = proposals(TRAINED + "train N {\n  data synthetic_sparse(sp|) -> x, t\n}\n");
        assertTrue(data.contains("sparsity="), data.toString());
        assertFalse(data.contains("samples="), "prefix filters: " + data);
        List<String> init = proposals(NET + "  layer L = dense(4 -> 4, init=normal(|))\n  output y\n}\n");
        assertEquals(List.of("std="), init.stream().filter(p -> p.endsWith("=")).toList());
    }

    @Test
    void opNamesWhereAnExpressionStarts() {
        List<String> p = proposals(NET + "  let c = |\n}\n");
        assertTrue(p.containsAll(List.of("conv2d", "shrink", "maxpool", "relu")), p.toString());
        assertTrue(p.contains("y"), "the input in scope: " + p);
        assertFalse(p.contains("accelerator"), p.toString());
    }

    @Test
    void loopDimensionsAfterUnrolls() {
        List<String> p = proposals("accelerator A {\n  axis rows 16 unrolls |\n}\n");
        assertEquals(List.of("N", "G", "K", "C", "OY", "OX", "FY", "FX"),
                p.stream().filter(s -> s.matches("[A-Z]{1,2}")).toList());
        List<String> second = proposals("accelerator A {\n  axis rows 16 unrolls K, O|\n}\n");
        assertTrue(second.containsAll(List.of("OY", "OX")), second.toString());
        assertFalse(second.contains("K"), second.toString());
    }

    @Test
    void operandsAfterHolds() {
        List<String> p = proposals("accelerator A {\n  memory gbuf size 128 KiB holds |\n}\n");
        assertTrue(p.containsAll(List.of("W", "I", "O")), p.toString());
    }

    @Test
    void unitsOfTheQuantityAtHand() {
        List<String> clock = proposals("accelerator A {\n  clock 400 |\n}\n");
        assertTrue(clock.containsAll(List.of("Hz", "kHz", "MHz", "GHz")), clock.toString());
        assertFalse(clock.contains("KiB"), clock.toString());

        List<String> size = proposals("accelerator A {\n  memory gbuf size 128 K|\n}\n");
        assertTrue(size.containsAll(List.of("KiB", "KB")), size.toString());
        assertFalse(size.contains("kHz"), size.toString());

        List<String> latency = proposals(NET + "  output y\n  compress { budget latency < 2 | }\n}\n");
        assertTrue(latency.containsAll(List.of("ms", "us")), latency.toString());
        assertFalse(latency.contains("MHz"), latency.toString());
    }

    @Test
    void indexedLayersAndStepVariables() {
        List<String> p = proposals(NET.replace("1, 28, 28", "8") + "  layer S[4] = dense(8 -> 8)\n  state x: f32[8] = 0\n"
                + "  unroll 4 as k {\n    x = S[|](x)\n  }\n  output x\n}\n");
        assertTrue(p.contains("k"), p.toString());
    }

    @Test
    void badPositionsNeverThrow() {
        EditorDocument doc = Editors.open("network { layer = conv2d(((( ");
        for (int i = -1; i <= doc.text().length() + 1; i++) {
            doc.complete(i); // must not throw anywhere, including out of range
        }
    }
}
