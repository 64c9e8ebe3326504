package org.edgenn.generator.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.ir.graph.Program;

/** Test helper: generates trainers from lowered programs, keeps a copy under target/ and compiles them with ECJ. */
final class Generated {
    private Generated() {
    }

    static GeneratedTrainer trainer(Program p, String network) {
        GeneratedTrainer g = TrainerGenerator.generate(p.network(network).orElseThrow(), p.training(network).orElse(null),
                name -> p.network(name).orElse(null));
        return g;
    }

    static InMemoryCompiler.Result compile(GeneratedTrainer... g) throws InMemoryCompiler.CompilationException, IOException {
        return InMemoryCompiler.compile(new EclipseCompiler(), List.of(g), Generated.class.getClassLoader(),
                Path.of("target/generated-trainers"));
    }
}
