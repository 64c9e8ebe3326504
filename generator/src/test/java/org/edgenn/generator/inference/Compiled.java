package org.edgenn.generator.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.training.InMemoryCompiler;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Network;

/** Test helper: compiles a generated inference class with ECJ (copy under target/) and loads an instance. */
public final class Compiled {
    private final InMemoryCompiler.Result result;
    private final GeneratedInference source;

    private Compiled(GeneratedInference source, InMemoryCompiler.Result result) {
        this.source = source;
        this.result = result;
    }

    public static Compiled of(GeneratedInference g) throws InMemoryCompiler.CompilationException, IOException {
        return new Compiled(g, InMemoryCompiler.compile(new EclipseCompiler(), List.of(g), Compiled.class.getClassLoader(),
                Path.of("target/generated-inference")));
    }

    public Class<?> type() throws ClassNotFoundException {
        return result.load(source.qualifiedName());
    }

    /** {@code <Network>Int8.load(artifact, batch, backend)}. */
    public Int8Network load(Path artifact, int batch, Backend backend) throws Exception {
        return (Int8Network) type().getMethod("load", Path.class, int.class, Backend.class).invoke(null, artifact, batch, backend);
    }
}
