package org.edgenn.generator.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.edgenn.generator.GeneratedSource;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests of generated code, as Xtext's {@code CompilationTestHelper}: for every network of every example
 * ({@code examples/src/main/edgenn/<dir>/<file>.edgenn}) the generated int8 inference class and trainer are compared
 * exactly with {@code src/test/resources/golden/<Network>Int8.java.txt} and {@code <Network>Trainer.java.txt}.
 * A reviewer reads a generator change as the diff of these files. The same sources are compiled (and the inference
 * classes run against the hardware model) by {@link ExamplesCompileTest} and {@code ExamplesInferenceTest}.
 *
 * <p>Regenerate after an intended change: {@code mvn -B -ntp -pl generator -am test -Dtest=GoldenTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}, then review {@code git diff}.
 */
class GoldenTest {
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    /** The golden directory in the source tree (the test runs in {@code generator/}). */
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TestFactory
    Stream<DynamicTest> generatedCodeEqualsGoldenFiles() throws IOException {
        Map<String, Program> programs = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Lowered.EXAMPLES)) {
            files = s.filter(f -> f.toString().endsWith(".edgenn")).sorted().toList();
        }
        for (Path f : files) {
            Program p = Lowered.file(f);
            for (Network n : p.networks()) {
                if (n.source() != null && Path.of(n.source().file()).getFileName().equals(f.getFileName())) {
                    programs.put(n.name(), p);
                }
            }
        }
        assertTrue(programs.size() >= 7, "examples with networks: " + programs.keySet());
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Program> e : programs.entrySet()) {
            String name = e.getKey();
            Program p = e.getValue();
            Network net = p.network(name).orElseThrow();
            if (org.edgenn.generator.inference.InferencePlanner.attempt(net)
                    instanceof org.edgenn.generator.inference.PlanResult.Unsupported u) {
                // no int8 class for it: the golden file holds the planner's reason instead
                tests.add(DynamicTest.dynamicTest(name + "Int8", () -> check(name + "Int8.unsupported.txt",
                        u.node() + ": " + u.reason() + "\n")));
            } else {
                tests.add(DynamicTest.dynamicTest(name + "Int8", () -> check(InferenceGenerator.generate(net))));
            }
            tests.add(DynamicTest.dynamicTest(name + "Trainer", () -> check(Generated.trainer(p, name))));
        }
        return tests.stream();
    }

    private static void check(GeneratedSource g) throws IOException {
        check(g.simpleName() + ".java.txt", g.source());
    }

    private static void check(String file, String text) throws IOException {
        Path golden = GOLDEN.resolve(file);
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, text, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.isRegularFile(golden), golden + " is missing: regenerate with -Dgolden.update=true");
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), text,
                file + " differs from " + golden + " (regenerate with -Dgolden.update=true and review the diff)");
    }
}
