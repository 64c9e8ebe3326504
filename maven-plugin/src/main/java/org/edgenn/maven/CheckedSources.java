package org.edgenn.maven;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.edgenn.dsl.workspace.InputFiles;
import org.edgenn.dsl.workspace.Workspace;
import org.edgenn.generator.pipeline.CheckStage;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.ir.Diagnostic;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;

/**
 * A project's {@code .edgenn} files after the checks {@code edgenn check} makes: loaded with their imports,
 * validated, lowered to the IR, and every latency/energy budget checked on a quick mapping of its target.
 * {@code program} is null when a file has errors (nothing past validation ran).
 *
 * @param files     the files the includes matched, sorted
 * @param inputs    every file read: the matched ones and what they import
 * @param unmatched includes that matched no file
 * @param networks  the networks declared in {@code files} (not those only imported)
 * @param mappings  per network name, its quick mapping on each target its budgets name
 */
record CheckedSources(List<Path> files, List<Path> inputs, List<String> unmatched, List<Diagnostic> diagnostics,
                      Program program, List<Network> networks, Map<String, List<NetworkMapping>> mappings) {

    /** @param includes glob patterns relative to {@code directory}, such as {@code **}{@code /*.edgenn} */
    static CheckedSources check(Path directory, List<String> includes) {
        List<String> patterns = includes.stream().map(i -> directory.resolve(i).toString()).toList();
        InputFiles.Expansion expansion = InputFiles.expand(patterns);
        List<String> unmatched = expansion.unmatched().stream()
                .map(p -> directory.relativize(Path.of(p)).toString()).toList();
        Workspace workspace = new Workspace();
        expansion.files().forEach(workspace::load);
        workspace.validateImports();
        // the pipeline's check stage, as edgenn check runs it: budgets on a quick mapping of their targets
        CheckStage.Checked checked = new CheckStage(true).run(new CheckStage.Input(workspace.diagnostics(),
                workspace.hasErrors() ? null : workspace.program(), workspace::isNamed));
        return new CheckedSources(expansion.files(), workspace.files(), unmatched, checked.diagnostics(), checked.program(),
                checked.networks(), checked.mappings());
    }

    List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::error).toList();
    }
}
