package org.edgenn.eclipse.builder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.diagnostics.Severity;
import org.edgenn.dsl.ide.editor.EdgeNNEditorServices;
import org.edgenn.dsl.ide.editor.EditorDocument;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.eclipse.EdgeNNDocuments;
import org.edgenn.generator.mapping.MappingTables;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.pipeline.MapStage;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;

/**
 * What the builder generates on save for a file without errors (no Eclipse types, so it is tested
 * headless): the mapping tables of every network of the file on each accelerator its budgets name,
 * found with the same quick, deterministic search as {@code edgenn check}: the generation pipeline's map stage.
 */
public final class FileGeneration {
    /** The generation pipeline's map stage, as the Maven plugin runs it. */
    private static final MapStage MAP = new MapStage();

    private FileGeneration() {
    }

    /** Writes {@code N.mapping.json/.csv/.md} into {@code outDir}; returns the files written (none when the text has errors). */
    public static List<Path> of(URI location, String text, Path outDir) throws IOException {
        var injector = EdgeNNDocuments.injector();
        EditorDocument doc = injector.getInstance(EdgeNNEditorServices.class).open(location, text);
        if (doc.validate().stream().anyMatch(i -> i.getSeverity() == Severity.ERROR)) {
            return List.of();
        }
        Program program = injector.getInstance(ProgramLowering.class).lowerAll(doc.resource().getResourceSet());
        List<Path> written = new ArrayList<>();
        for (Network n : program.networks()) {
            if (!location.isFile() || !n.source().file().equals(location.toFileString())) {
                continue; // only the saved file's networks; imported ones are generated when they are saved
            }
            for (NetworkMapping m : MAP.run(new MapStage.Input(program, n)).mappings()) {
                written.addAll(MappingTables.write(m, outDir.resolve(m.accelerator().name()), n.name()));
            }
        }
        return written;
    }
}
