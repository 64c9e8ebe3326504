package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.edgenn.dsl.workspace.Workspace;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * {@code edgenn build} and {@code edgenn verify} on a small LISTA: one build trains it briefly (a few optimizer steps),
 * the other tests reuse its artifact. The failing cases are real: an accelerator whose narrow accumulator saturates
 * where the int8 kernels do not, and a mapping table with a wrong access count.
 */
class BuildAndVerifyTest {

    private static final String SOURCE = "package tiny\n\n" + Sources.small()
            // the same array with a 16-bit accumulator: the hardware saturates where the int8 kernels' 32-bit sums do not
            + Sources.accelerator("Narrow", "int8 accumulator int16")
            // 24-bit sums that wrap (ZigZag-style odd widths): the dense layers' sums fit, the adds' rescaled terms do not
            + Sources.accelerator("Wrap24", "int8 accumulator int24 wrap")
            + Sources.tinyLista("Tiny", """
                    weights int8 per-channel
                    activations int8
                    budget params < 10k
                    budget latency < 1 ms on Small""") + """

            train Tiny {
              data synthetic_sparse(m=16, n=32, sparsity=0.1, samples=6400, test=64) -> y, x_true
              optimizer adam(lr=1e-3)
              epochs 5
              batch 16
              seed 2
            }
            """;

    @TempDir
    static Path dir;
    static Path file;
    static Path trained;
    static CliRun training;

    @BeforeAll
    static void buildWithTraining() throws Exception {
        file = dir.resolve("tiny.edgenn");
        Files.writeString(file, SOURCE);
        trained = dir.resolve("trained");
        training = CliRun.of("build", file.toString(), "--network", "Tiny", "--target", "Small", "--out", trained.toString(),
                "--epochs", "2", "--batches-per-epoch", "3", "--samples", "64");
    }

    @Test
    void buildTrainsMapsGeneratesVerifiesAndReports() throws Exception {
        assertEquals(0, training.exit(), training.out() + training.err());
        assertTrue(training.err().contains("epoch 2/2"), "training progress: " + training.err());
        assertTrue(training.err().contains("mapping ["), "mapping progress: " + training.err());
        assertTrue(training.err().contains("verify  [") && training.err().contains("64/64"), training.err());
        for (String f : List.of("Tiny.safetensors", "Tiny.metrics.json", "Tiny.mapping.json", "Tiny.mapping.csv",
                "Tiny.mapping.md", "src/tiny/TinyInt8.java", "src/tiny/TinyTrainer.java", "report.html")) {
            assertTrue(Files.isRegularFile(trained.resolve(f)), f);
        }
        assertTrue(training.out().contains("bit-exact on 64 held-out examples"), training.out());
        assertTrue(training.out().contains("every access count equal"), training.out());

        Document page = xhtml(trained.resolve("report.html"));
        Network net = program().network("Tiny").orElseThrow();
        List<LayerStats> layers = LayerStats.of(net);
        NodeList rows = select(page, "//section[@id='layers']/table/tr[td]");
        assertEquals(layers.size(), rows.getLength(), "one row per layer");
        for (int i = 0; i < layers.size(); i++) {
            String row = rows.item(i).getTextContent();
            assertTrue(row.contains(layers.get(i).name()) && row.contains(Long.toString(layers.get(i).macs())), row);
        }
        // the network schedule (the default) fuses element-wise layers into their producers' passes: a bar per pass
        int fused = 0;
        for (var layer : new ObjectMapper().readTree(trained.resolve("Tiny.mapping.json").toFile()).get("layers")) {
            fused += layer.path("fused").size();
        }
        int mapped = IrWorkloads.of(net, program().accelerator("Small").orElseThrow()).size() - fused;
        assertEquals(2 * mapped, select(page, "//section[@id='layers']//svg/rect").getLength(),
                "a latency and an energy bar per mapped pass");
        assertEquals(2, select(page, "//section[@id='training']//svg/polyline").getLength(), "loss and metric curves");
        assertEquals(2 * 2, select(page, "//section[@id='training']//svg/circle").getLength(), "two epochs each");
        String budgets = select(page, "//section[@id='budgets']").item(0).getTextContent();
        assertTrue(budgets.contains("params < 10k") && budgets.contains("latency < 1 ms on Small"), budgets);
        assertEquals(2, select(page, "//section[@id='budgets']/table/tr/td[@class='pass']").getLength(), budgets);
        assertEquals("All checks passed.", select(page, "//section[@id='verification']/p").item(0).getTextContent());
    }

    @Test
    void buildWithAModelSkipsTraining() throws Exception {
        Path out = dir.resolve("reused");
        CliRun r = CliRun.of("build", file.toString(), "--network", "Tiny", "--target", "Small", "--out", out.toString(),
                "--model", trained.resolve("Tiny.safetensors").toString(), "--samples", "16");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertFalse(r.err().contains("epoch "), "no training: " + r.err());
        assertFalse(Files.exists(out.resolve("Tiny.safetensors")));
        assertTrue(r.out().contains("not training"), r.out());
        Document page = xhtml(out.resolve("report.html"));
        // the metrics file beside the given model still provides the float figure and the curve
        assertTrue(select(page, "//section[@id='metrics']").item(0).getTextContent().contains("Tiny.metrics.json"));
        assertEquals(2, select(page, "//section[@id='training']//svg/polyline").getLength());
    }

    @Test
    void verifyPassesOnTheTrainedArtifact() {
        CliRun r = CliRun.of("verify", file.toString(), "--network", "Tiny", "--model", trained.toString(),
                "--target", "Small", "--samples", "32");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("bit-exact on 32 held-out examples"), r.out());
        assertTrue(r.out().contains("verified"), r.out());
    }

    @Test
    void aSaturatingAccumulatorIsAMismatchNamingLayerIndexAndBothValues() {
        CliRun r = CliRun.of("verify", file.toString(), "--network", "Tiny", "--model", trained.toString(),
                "--target", "Narrow", "--samples", "64");
        assertEquals(1, r.exit(), r.out() + r.err());
        Matcher m = Pattern.compile("hardware model mismatch: layer (\\S+) \\(tiny\\.edgenn:\\d+\\), held-out example (\\d+): "
                + "first difference at \\[(\\d+)\\]: hardware model (-?\\d+), network (-?\\d+)").matcher(r.err());
        assertTrue(m.find(), r.err());
        // layers that accumulate: dense sums and the adds, whose rescaled terms (up to 255·2^19) overflow 16 bits
        assertTrue(m.group(1).matches("We|S\\[\\d\\]|x\\[\\d\\]\\.add"), "an accumulating layer saturates: " + m.group(1));
        int model = Integer.parseInt(m.group(4));
        int network = Integer.parseInt(m.group(5));
        assertNotEquals(model, network);
        assertTrue(model >= -128 && model <= 127 && network >= -128 && network <= 127);
        assertTrue(r.out().contains("FAILED (a)"), r.out());
    }

    @Test
    void aWrappingTwentyFourBitAccumulatorIsExactWhereSumsFitAndAMismatchWhereTheyDoNot() {
        CliRun r = CliRun.of("verify", file.toString(), "--network", "Tiny", "--model", trained.toString(),
                "--target", "Wrap24", "--samples", "8");
        assertEquals(1, r.exit(), r.out() + r.err());
        Matcher m = Pattern.compile("hardware model mismatch: layer (\\S+) \\(tiny\\.edgenn:\\d+\\)").matcher(r.err());
        assertTrue(m.find(), r.err());
        // the dense layers' sums (at most 32 x 128 x 127 plus a bias) fit 24 bits; the add's terms (up to 255 x 2^19) wrap
        assertTrue(m.group(1).matches("x\\[\\d\\]\\.add"), "the first layer that differs is an add: " + m.group(1) + "\n" + r.err());
        assertTrue(r.out().contains("FAILED (a)"), r.out());
        assertTrue(r.out().contains("sums wrapped at the declared widths: int24 accumulator"), "the verdict says why: " + r.out());
    }

    @Test
    void aWrongMappingTableEntryIsAMismatchNamingLayerAndBothCounts() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode table = (ObjectNode) json.readTree(trained.resolve("Tiny.mapping.json").toFile());
        ObjectNode s1 = null;
        for (var layer : table.get("layers")) {
            if (layer.get("name").asText().equals("S[1]")) {
                s1 = (ObjectNode) layer;
            }
        }
        ObjectNode row = (ObjectNode) s1.get("memories").get(0);
        long predicted = row.get("reads").asLong();
        row.put("reads", predicted + 7);
        Path wrong = dir.resolve("wrong.mapping.json");
        Files.writeString(wrong, json.writeValueAsString(table));
        CliRun r = CliRun.of("verify", file.toString(), "--network", "Tiny", "--model", trained.toString(),
                "--target", "Small", "--samples", "4", "--mapping", wrong.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        String expected = "mapped execution of layer S[1]: " + row.get("memory").asText() + " " + row.get("operand").asText()
                + " reads: table " + (predicted + 7) + ", executed " + predicted;
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r.err());
        assertTrue(r.out().contains("bit-exact"), "check (a) still passes: " + r.out());
    }

    @Test
    void inputProblemsAreUsageErrors() throws Exception {
        CliRun noModel = CliRun.of("verify", file.toString(), "--network", "Tiny", "--model", dir.resolve("nowhere").toString(),
                "--target", "Small");
        assertEquals(2, noModel.exit());
        assertTrue(noModel.err().contains("edgenn: error: no model"), noModel.err());
        CliRun noTarget = CliRun.of("build", file.toString(), "--network", "Tiny", "--target", "Nope", "--out",
                dir.resolve("nope").toString());
        assertEquals(2, noTarget.exit());
        assertTrue(noTarget.err().contains("edgenn: error: no accelerator Nope; accelerators: [Small, Narrow, Wrap24]"), noTarget.err());
        assertFalse(noTarget.err().contains("epoch"), "nothing trained: " + noTarget.err());
        Path garbage = dir.resolve("garbage.mapping.json");
        Files.writeString(garbage, "{\"schema\": \"something else\"}");
        CliRun badTable = CliRun.of("verify", file.toString(), "--network", "Tiny", "--model", trained.toString(),
                "--target", "Small", "--mapping", garbage.toString());
        assertEquals(2, badTable.exit());
        assertTrue(badTable.err().contains("not a mapping table"), badTable.err());
        CliRun otherTarget = CliRun.of("verify", file.toString(), "--network", "Tiny", "--model", trained.toString(),
                "--target", "Narrow", "--mapping", trained.resolve("Tiny.mapping.json").toString());
        assertEquals(2, otherTarget.exit());
        assertTrue(otherTarget.err().contains("maps onto Small, not Narrow"), otherTarget.err());
    }

    @Test
    void heldOutDataThatIsNotThereIsAClearInputError() throws Exception {
        Path f = dir.resolve("idx.edgenn");
        Files.writeString(f, Sources.digitsWithMissingIdx("nowhere/t10k-images-idx3-ubyte", "nowhere/t10k-labels-idx1-ubyte"));
        Path model = Files.writeString(dir.resolve("Digits.safetensors"), "");
        CliRun r = CliRun.of("verify", f.toString(), "--network", "Digits", "--model", model.toString(), "--target", "Small",
                file.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("edgenn: error: Digits: held-out data not available: ")
                && r.err().contains("nowhere/t10k-images-idx3-ubyte does not exist"), r.err());
        assertFalse(r.out().contains("verified"), r.out());
    }

    private static Program program() {
        Workspace ws = new Workspace();
        ws.load(file);
        return ws.program();
    }

    private static Document xhtml(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readString(file).getBytes(StandardCharsets.UTF_8)));
    }

    private static NodeList select(Document d, String xpath) throws Exception {
        return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, d, XPathConstants.NODESET);
    }
}
