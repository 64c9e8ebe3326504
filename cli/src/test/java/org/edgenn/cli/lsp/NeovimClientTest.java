package org.edgenn.cli.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.edgenn.cli.EdgeNN;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code edgenn lsp} in a real client: headless Neovim 0.7 (Debian's {@code neovim}; CI installs it) with its built-in
 * Lua LSP client runs {@code src/test/resources/nvim/edgenn_client.lua} on a broken and a correct file, with a root
 * directory and without one (a single file: {@code rootUri} null). The client's own view is checked: diagnostics at
 * their positions with their codes, hover text, completion labels. Outside CI the test is skipped without nvim.
 */
class NeovimClientTest {
    private static final String BROKEN = "network N {\n  input y: f32[8]\n  let u = upsample(y, factr=2)\n  output u\n}\n";
    private static final Path EXAMPLES = Path.of("..", "examples", "src", "main", "edgenn").toAbsolutePath().normalize();

    @ParameterizedTest(name = "with a root: {0}")
    @ValueSource(booleans = {true, false})
    void diagnosticsHoverAndCompletionInNeovim(boolean withRoot, @TempDir Path dir) throws Exception {
        String nvim = findNvim();
        Path broken = dir.resolve("broken").resolve("n.edgenn");
        Path correct = dir.resolve("lista").resolve("lista.edgenn");
        Files.createDirectories(broken.getParent());
        Files.createDirectories(correct.getParent());
        Files.createDirectories(dir.resolve("targets"));
        Files.writeString(broken, BROKEN);
        Files.copy(EXAMPLES.resolve("lista/lista.edgenn"), correct);
        Files.copy(EXAMPLES.resolve("targets/tiny16.edgenn"), dir.resolve("targets/tiny16.edgenn"));

        ObjectMapper json = new ObjectMapper();
        ObjectNode spec = json.createObjectNode();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        spec.putPOJO("cmd", List.of(javaBin, "-cp", System.getProperty("java.class.path"), EdgeNN.class.getName(), "lsp"));
        if (withRoot) spec.put("root", dir.toString());
        else spec.putNull("root");
        spec.putPOJO("files", List.of(broken.toString(), correct.toString()));
        // hover: the input y of the broken file, LISTA's layer We; completion: inside upsample( ... ) after "y, "
        spec.putPOJO("hovers", List.of(at(broken, 1, 8), at(correct, 11, 9)));
        spec.putPOJO("completions", List.of(at(broken, 2, 22)));
        Path out = dir.resolve("out.json");
        spec.put("out", out.toString());
        Path specFile = dir.resolve("spec.json");
        json.writeValue(specFile.toFile(), spec);

        Path script = Path.of("src", "test", "resources", "nvim", "edgenn_client.lua").toAbsolutePath();
        Path log = Path.of("target", "nvim-" + (withRoot ? "root" : "noroot") + ".log").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "luafile " + script)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("EDGENN_SPEC", specFile.toString());
        pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());   // Neovim's LSP log stays in the temp dir
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "Neovim did not finish within 180 s (log " + log + ")");
        } finally {
            p.destroyForcibly();
        }
        JsonNode result = json.readTree(out.toFile());
        assertEquals("[]", result.get("errors").toString(), "client-side errors (log " + log + ")");
        assertEquals(0, p.exitValue());

        // broken: factr is unknown (at its text) and factor is missing; Neovim reports 0-based line/column
        List<String> brokenErrors = new ArrayList<>();
        for (JsonNode d : result.get("diagnostics").get(broken.toString())) {
            if (d.get("severity").asInt() == 1) brokenErrors.add(d.get("code").asText() + "@" + d.get("line").asInt() + ":" + d.get("character").asInt());
        }
        assertTrue(brokenErrors.contains("org.edgenn.dsl.unknownAttribute@2:22"), brokenErrors.toString());
        assertEquals(2, brokenErrors.size(), brokenErrors.toString());
        assertTrue(brokenErrors.stream().anyMatch(e -> e.startsWith("org.edgenn.dsl.missingAttribute@2:")), brokenErrors.toString());
        // correct: nothing at error level (its import resolves with and without a root)
        for (JsonNode d : result.get("diagnostics").get(correct.toString())) {
            assertTrue(d.get("severity").asInt() > 1, d.toString());
        }
        String inputHover = result.get("hovers").get(0).asText();
        assertTrue(inputHover.contains("**input y**") && inputHover.contains("f32[8]"), inputHover);
        String layerHover = result.get("hovers").get(1).asText();
        assertTrue(layerHover.startsWith("**layer We = dense**") && layerHover.contains("params 125k") && layerHover.contains("on Tiny16: latency"), layerHover);
        List<String> labels = new ArrayList<>();
        result.get("completions").get(0).forEach(l -> labels.add(l.asText()));
        assertTrue(labels.contains("factor") && labels.contains("mode"), labels.toString());
    }

    private static Map<String, Object> at(Path file, int line, int character) {
        return Map.of("file", file.toString(), "line", line, "character", character);
    }

    /** nvim on the PATH; in CI (where .ci/run installs it) its absence is a failure, elsewhere a skip. */
    private static String findNvim() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "nvim");
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        if ("true".equals(System.getenv("CI"))) throw new AssertionError("nvim is missing: .ci/run installs Debian's neovim");
        Assumptions.assumeTrue(false, "nvim not installed");
        return null;
    }
}
