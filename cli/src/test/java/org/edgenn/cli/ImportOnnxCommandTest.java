package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Weight;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgenn import-onnx} then {@code edgenn check} on what it wrote: ZigZag's graph-only ResNet-18 and small
 * PyTorch exports (onnx/src/test/resources/onnx).
 */
class ImportOnnxCommandTest {
    static final Path MODELS = Path.of("..", "onnx", "src", "test", "resources", "onnx").toAbsolutePath().normalize();

    /**
     * ZigZag's resnet18.onnx has no weight data: the network imports for mapping, checks clean, and its MACs and
     * parameters equal those of the hand-written examples/resnet/resnet18.edgenn (an independent description).
     */
    @Test
    void zigzagsGraphOnlyResnet18ChecksWithTheMacsOfTheHandWrittenOne(@TempDir Path dir) {
        CliRun imported = CliRun.of("import-onnx", MODELS.resolve("zigzag/resnet18.onnx").toString(), "--out", dir.toString());
        assertEquals(0, imported.exit(), imported.err());
        assertTrue(imported.out().contains("graph only"), imported.out());
        assertTrue(Files.notExists(dir.resolve("Resnet18.safetensors")));
        CliRun check = CliRun.of("check", dir.resolve("Resnet18.edgenn").toString());
        assertEquals(0, check.exit(), check.out() + check.err());
        CliRun reference = CliRun.of("check", CliRun.EXAMPLES.resolve("resnet/resnet18.edgenn").toString());
        assertEquals(0, reference.exit(), reference.err());
        System.out.println("imported: " + totals(check.out()) + "\nhand-written: " + totals(reference.out()));
        assertEquals(totals(reference.out()), totals(check.out()), check.out());
    }

    @Test
    void pytorchExportsImportWithWeightsAndCheck(@TempDir Path dir) {
        for (String model : new String[] {"tiny_cnn", "mlp"}) {
            CliRun imported = CliRun.of("import-onnx", MODELS.resolve("torch/" + model + ".onnx").toString(), "--out", dir.toString());
            assertEquals(0, imported.exit(), imported.err());
            String name = ImportOnnxCommand.networkName(Path.of(model + ".onnx"));
            assertTrue(Files.isRegularFile(dir.resolve(name + ".safetensors")), imported.out());
            CliRun check = CliRun.of("check", dir.resolve(name + ".edgenn").toString());
            assertEquals(0, check.exit(), check.out() + check.err());
            assertWeightsMatchTheLoweredNetwork(dir, name);
        }
    }

    /**
     * Every weight of the lowered network (the IR's names, {@code L.weight} / {@code L.bias}) is in the safetensors
     * file with its element count, and the file holds nothing else: the names and sizes EdgeNN's tools look up.
     */
    private static void assertWeightsMatchTheLoweredNetwork(Path dir, String name) {
        try (SafetensorsReader r = SafetensorsReader.open(dir.resolve(name + ".safetensors"))) {
            Network net = LoweredExamples.text(dir, name + ".edgenn", Files.readString(dir.resolve(name + ".edgenn")), name);
            java.util.Set<String> irNames = new java.util.TreeSet<>();
            for (Weight w : net.weights()) {
                irNames.add(w.name());
                assertTrue(r.names().contains(w.name()), w.name() + " missing from " + r.names());
                assertEquals(w.shape().size(), r.info(w.name()).elementCount(), w.name());
            }
            assertEquals(irNames, new java.util.TreeSet<>(r.names()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void badInputIsAUsageErrorAndWritesNothing(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, new byte[] {1, 2, 3, (byte) 0xff});
        CliRun run = CliRun.of("import-onnx", junk.toString(), "--out", dir.resolve("out").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("junk.onnx"), run.err());
        assertTrue(Files.notExists(dir.resolve("out")));
    }

    /** The totals line of edgenn check for a network: "... params ... MACs". */
    private static String totals(String out) {
        Matcher m = Pattern.compile("(?m)^.*parameters, .* MACs per inference.*$").matcher(out);
        assertTrue(m.find(), out);
        return m.group().replaceAll("^\\S+\\s*", "").trim();
    }
}
