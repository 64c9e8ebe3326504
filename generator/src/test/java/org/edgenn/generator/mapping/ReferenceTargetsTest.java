package org.edgenn.generator.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.junit.jupiter.api.Test;

/** The documented {@code examples/src/main/edgenn/targets/*.edgenn} files and the Java constants used by tests/benchmarks agree. */
class ReferenceTargetsTest {
    private static Path examples() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/src/main/edgenn/targets"))) {
            p = p.getParent();
        }
        return p.resolve("examples/src/main/edgenn/targets");
    }

    @Test
    void tpuFileMatchesJava() throws Exception {
        assertEquals(ReferenceTargets.tpuLike(),
                DslAccelerators.parse(Files.readString(examples().resolve("tpu.edgenn"))));
        MemoryHierarchy.of(ReferenceTargets.tpuLike());
    }

    @Test
    void eyerissFileMatchesJava() throws Exception {
        assertEquals(ReferenceTargets.eyerissLike(),
                DslAccelerators.parse(Files.readString(examples().resolve("eyeriss.edgenn"))));
        MemoryHierarchy.of(ReferenceTargets.eyerissLike());
    }
}
