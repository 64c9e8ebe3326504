package org.edgenn.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Mojo run on a project laid out as a user's: {@code src/main/edgenn} in, {@code target/generated-sources/edgenn}
 * and {@code target/edgenn/mapping} out, with the parameters' default values.
 */
class GenerateMojoTest {

    private static final String ACCELERATOR = """
            package demo

            accelerator Mini {
              mac int8 accumulator int32
              clock 200 MHz
              axis rows 8 unrolls K
              axis cols 8 unrolls C
              memory rf   size 64 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size 32 KiB bandwidth 32 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
            }
            """;

    private static String network(String latencyBudget) {
        return """
                package demo

                import "targets.edgenn"

                network Small {
                  input x: f32[16]
                  label t: f32[4]
                  let h = relu(dense(x, 16 -> 8))
                  let y = dense(h, 8 -> 4)
                  output y
                  loss mse(y, t)
                  compress {
                    weights int8 per-channel
                    activations int8
                    budget latency < %s on Mini
                  }
                }
                """.formatted(latencyBudget);
    }

    @TempDir
    Path project;

    private RecordingLog log;

    private Path sources() {
        return project.resolve("src/main/edgenn");
    }

    private Path generated() {
        return project.resolve("target/generated-sources/edgenn");
    }

    private Path tables() {
        return project.resolve("target/edgenn/mapping");
    }

    private void write(String file, String text) throws IOException {
        Files.createDirectories(sources().resolve(file).getParent());
        Files.writeString(sources().resolve(file), text);
    }

    /** A Mojo as Maven configures it when the POM sets nothing. */
    private GenerateMojo mojo() {
        GenerateMojo m = new GenerateMojo();
        m.sourceDirectory = sources().toFile();
        m.outputDirectory = generated().toFile();
        m.mappingDirectory = tables().toFile();
        m.inference = true;
        m.trainers = true;
        m.mappingTables = true;
        m.project = new MavenProject();
        log = new RecordingLog();
        m.setLog(log);
        return m;
    }

    @Test
    void generatesInferenceClassTrainerAndMappingTablesAndAddsTheSourceRoot() throws Exception {
        write("targets.edgenn", ACCELERATOR);
        write("small.edgenn", network("1 s"));
        GenerateMojo m = mojo();
        m.execute();

        Path int8 = generated().resolve("demo/SmallInt8.java");
        assertTrue(Files.readString(int8).contains("public final class SmallInt8 implements Int8Network {"), int8.toString());
        Path trainer = generated().resolve("demo/SmallTrainer.java");
        assertTrue(Files.readString(trainer).contains("public final class SmallTrainer {"), trainer.toString());
        assertEquals(List.of(generated().toFile().getAbsolutePath()), m.project.getCompileSourceRoots());
        for (String ext : List.of("json", "csv", "md")) {
            assertTrue(Files.isRegularFile(tables().resolve("Mini/Small.mapping." + ext)), ext);
        }
        JsonNode json = new ObjectMapper().readTree(tables().resolve("Mini/Small.mapping.json").toFile());
        assertEquals("Small", json.get("network").asText());
        assertEquals("Mini", json.get("accelerator").get("name").asText());
        // two dense layers: 16·8 + 8·4 MACs, whatever else the table counts
        assertTrue(json.get("totals").get("macs").asLong() >= 16 * 8 + 8 * 4, json.get("totals").toString());
        assertEquals(List.of("edgenn: 1 network from 2 files: 5 files written, 0 unchanged"), log.infos);
    }

    @Test
    void aBrokenFileFailsTheBuildWithFileLineAndMessage() throws Exception {
        write("targets.edgenn", ACCELERATOR);
        String broken = "package demo\n\nnetwork N {\n  input x: f32[16]\n  layer L = dense(8 -> 4)\n  let y = L(x)\n  output y\n}\n";
        write("broken.edgenn", broken);
        Path file = sources().resolve("broken.edgenn").toAbsolutePath().normalize();
        // the diagnostic sits on the argument of the call: line 6, at "x)"
        int line = 6;
        int column = broken.split("\n")[line - 1].indexOf("x)") + 1;
        String diagnostic = file + ":" + line + ":" + column + ": error: dense expects 8 input features, got 16";

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo().execute());

        assertEquals("1 error in .edgenn sources:\n  " + diagnostic, e.getMessage());
        assertEquals(List.of(diagnostic), log.errors);
        assertFalse(Files.exists(generated()), "nothing is generated from a broken project");
    }

    @Test
    void aBudgetTheMappingExceedsFailsTheBuildAtTheBudget() throws Exception {
        write("targets.edgenn", ACCELERATOR);
        String text = network("1 ns");
        write("small.edgenn", text);
        String[] lines = text.split("\n");
        int line = 1;
        while (!lines[line - 1].contains("budget latency")) {
            line++;
        }
        String at = sources().resolve("small.edgenn").toAbsolutePath().normalize() + ":" + line + ":";

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo().execute());

        assertTrue(e.getMessage().startsWith("1 error in .edgenn sources:\n  " + at), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*: error: latency .+ > budget 1 ns on Mini$"), e.getMessage());
    }

    @Test
    void aSecondBuildRewritesNothingAndAnEditRewritesWhatChanged() throws Exception {
        write("targets.edgenn", ACCELERATOR);
        write("small.edgenn", network("1 s"));
        mojo().execute();
        // sources older than outputs, as after any build; the outputs' time stamps tell whether they were rewritten
        FileTime source = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
        FileTime built = FileTime.from(Instant.parse("2024-06-01T00:00:00Z"));
        for (Path f : files(sources()).keySet()) {
            Files.setLastModifiedTime(f, source);
        }
        Map<Path, FileTime> before = files(project.resolve("target"));
        for (Path f : before.keySet()) {
            Files.setLastModifiedTime(f, built);
        }

        mojo().execute();

        assertEquals(List.of("edgenn: 1 network from 2 files: 0 files written, 5 unchanged"), log.infos);
        files(project.resolve("target")).forEach((f, t) -> assertEquals(built, t, f + " was rewritten"));

        // a new loss weight changes the trainer only: the inference class stays as it was; the tables are older
        // than the edited source, so they are rewritten
        Path trainer = generated().resolve("demo/SmallTrainer.java");
        String old = Files.readString(trainer);
        FileTime int8Before = Files.getLastModifiedTime(generated().resolve("demo/SmallInt8.java"));
        write("small.edgenn", network("1 s").replace("loss mse(y, t)", "loss 2 * mse(y, t)"));
        mojo().execute();
        assertEquals(List.of("edgenn: 1 network from 2 files: 4 files written, 1 unchanged"), log.infos);
        assertFalse(Files.readString(trainer).equals(old), "trainer regenerated");
        assertEquals(int8Before, Files.getLastModifiedTime(generated().resolve("demo/SmallInt8.java")));
    }

    @Test
    void eachKindOfOutputCanBeSwitchedOff() throws Exception {
        write("targets.edgenn", ACCELERATOR);
        write("small.edgenn", network("1 s"));
        GenerateMojo m = mojo();
        m.trainers = false;
        m.mappingTables = false;
        m.execute();
        assertEquals(List.of(generated().resolve("demo/SmallInt8.java")), List.copyOf(files(project.resolve("target")).keySet()));
        // switching inference off and trainers on: the inference class of the last build goes
        m = mojo();
        m.inference = false;
        m.mappingTables = false;
        m.execute();
        assertEquals(List.of(generated().resolve("demo/SmallTrainer.java")), List.copyOf(files(project.resolve("target")).keySet()));
    }

    @Test
    void whatARenamedNetworkLeftBehindIsRemovedAndHandWrittenFilesStay() throws Exception {
        write("targets.edgenn", ACCELERATOR);
        write("small.edgenn", network("1 s"));
        mojo().execute();
        Path handWritten = generated().resolve("demo/Helper.java");
        Files.writeString(handWritten, "package demo;\n\nclass Helper {\n}\n");
        write("small.edgenn", network("1 s").replace("network Small", "network Smaller"));

        mojo().execute();

        assertEquals(List.of("edgenn: 1 network from 2 files: 5 files written, 0 unchanged, 5 stale removed"), log.infos);
        assertEquals(List.of(tables().resolve("Mini/Smaller.mapping.csv"), tables().resolve("Mini/Smaller.mapping.json"),
                tables().resolve("Mini/Smaller.mapping.md"), generated().resolve("demo/Helper.java"),
                generated().resolve("demo/SmallerInt8.java"), generated().resolve("demo/SmallerTrainer.java")),
                List.copyOf(files(project.resolve("target")).keySet()));
    }

    /** Stale files are found from the previous run's manifest, not by their content: a look-alike hand-written file stays. */
    @Test
    void theManifestListsWhatWasGeneratedAndALookAlikeHandWrittenFileStays() throws Exception {
        write("targets.edgenn", ACCELERATOR);
        write("small.edgenn", network("1 s"));
        mojo().execute();
        assertEquals(List.of("demo/SmallInt8.java", "demo/SmallTrainer.java"),
                org.edgenn.generator.pipeline.Manifest.read(generated()).files());
        assertEquals(List.of("Mini/Small.mapping.csv", "Mini/Small.mapping.json", "Mini/Small.mapping.md"),
                org.edgenn.generator.pipeline.Manifest.read(tables()).files());
        Path lookAlike = generated().resolve("demo/Copied.java");
        Files.writeString(lookAlike, "package demo;\n\n/** Trainer of network {@code X}, generated by EdgeNN. Edit freely. */\nclass Copied {\n}\n");
        write("small.edgenn", network("1 s").replace("network Small", "network Smaller"));
        mojo().execute();
        assertTrue(Files.isRegularFile(lookAlike), "not in the manifest: kept");
        assertFalse(Files.exists(generated().resolve("demo/SmallTrainer.java")));
        assertEquals(List.of("demo/SmallerInt8.java", "demo/SmallerTrainer.java"),
                org.edgenn.generator.pipeline.Manifest.read(generated()).files());
    }

    @Test
    void aNetworkWithoutInt8LoweringIsWarnedAboutAndStillGetsItsTrainer() throws Exception {
        write("soft.edgenn", """
                package demo

                network Soft {
                  input x: f32[16]
                  label t: f32[4]
                  let p = softmax(dense(x, 16 -> 4))
                  output p
                  loss mse(p, t)
                }
                """);
        mojo().execute();
        assertEquals(List.of(generated().resolve("demo/SoftTrainer.java")), List.copyOf(files(project.resolve("target")).keySet()));
        assertEquals(1, log.warnings.size(), log.warnings.toString());
        assertTrue(log.warnings.get(0).startsWith("edgenn: no int8 inference class for Soft: "), log.warnings.get(0));
        assertTrue(log.warnings.get(0).contains("softmax has no int8 lowering"), log.warnings.get(0));
    }

    @Test
    void aProjectWithoutEdgennSourcesIsLeftAlone() throws Exception {
        GenerateMojo m = mojo();
        m.execute();
        assertTrue(m.project.getCompileSourceRoots().isEmpty());
        assertFalse(Files.exists(project.resolve("target")));
    }

    private static Map<Path, FileTime> files(Path dir) throws IOException {
        Map<Path, FileTime> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals(org.edgenn.generator.pipeline.Manifest.FILE)).toList()) {
                out.put(f, Files.getLastModifiedTime(f));
            }
        }
        return out;
    }
}
