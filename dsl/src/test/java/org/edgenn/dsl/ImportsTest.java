package org.edgenn.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import com.google.inject.Injector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.tests.EdgeNNInjectorProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Imports name files relative to the importing file; only imported files are visible. */
@ExtendWith(InjectionExtension.class)
@InjectWith(EdgeNNInjectorProvider.class)
class ImportsTest {

    @Inject
    private Injector injector;

    @TempDir
    Path dir;

    private static final String TARGET = """
            accelerator T { mac int8 clock 1 GHz axis r 4 unrolls K
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B }
            """;
    private static final String NET = """
            network N { input x: f32[4] let y = relu(x) output y
              compress { budget latency < 1 ms on T } }
            """;

    @Test
    void importedAcceleratorResolves() throws Exception {
        Files.createDirectories(dir.resolve("targets"));
        Files.writeString(dir.resolve("targets/t.edgenn"), TARGET);
        Path model = dir.resolve("model.edgenn");
        Files.writeString(model, "import \"targets/t.edgenn\"\n" + NET);
        List<Issue> issues = Examples.validate(Examples.load(injector, model));
        assertTrue(issues.isEmpty(), issues::toString);
    }

    @Test
    void notImportedMeansNotVisible() throws Exception {
        Files.writeString(dir.resolve("t.edgenn"), TARGET);
        Path model = dir.resolve("model.edgenn");
        Files.writeString(model, NET);
        List<Issue> issues = Examples.validate(Examples.load(injector, model));
        assertEquals(1, issues.size(), issues::toString);
        assertEquals("unknown accelerator (declare or import it) 'T'", issues.get(0).getMessage());
    }
}
