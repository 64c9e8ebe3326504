package org.edgenn.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.dsl.workspace.InputFiles;
import org.edgenn.dsl.workspace.Workspace;
import org.edgenn.generator.mapping.BudgetCheck;
import org.edgenn.generator.pipeline.MapStage;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.ir.Diagnostic;
import org.edgenn.ir.accel.AcceleratorSpec;
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
        List<Diagnostic> diagnostics = new ArrayList<>(workspace.diagnostics());
        if (workspace.hasErrors()) {
            return new CheckedSources(expansion.files(), workspace.files(), unmatched, diagnostics, null, List.of(), Map.of());
        }
        Program program = workspace.program();
        List<Network> networks = program.networks().stream().filter(workspace::isNamed).toList();
        Map<String, List<NetworkMapping>> mappings = new LinkedHashMap<>();
        for (Network n : networks) {
            List<NetworkMapping> onTargets = new MapStage().run(new MapStage.Input(program, n));
            for (NetworkMapping m : onTargets) {
                diagnostics.addAll(BudgetCheck.violations(n, m));
            }
            mappings.put(n.name(), onTargets);
        }
        return new CheckedSources(expansion.files(), workspace.files(), unmatched, diagnostics, program, networks, mappings);
    }

    List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::error).toList();
    }
}
