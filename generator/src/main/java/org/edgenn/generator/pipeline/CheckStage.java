package org.edgenn.generator.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.edgenn.generator.mapping.BudgetCheck;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.ir.Diagnostic;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;

/**
 * The check stage: what a front end loaded (its diagnostics and, without errors, the lowered program), plus, when
 * asked ({@code edgenn check}, the Maven plugin), every latency/energy budget of the named networks checked on the
 * {@link MapStage}'s quick mapping of its target. The CLI's {@code map}, {@code verify} and {@code build} leave budgets
 * to the mapping they search themselves. Loading
 * is the front end's part (the CLI and the Maven plugin read files through dsl's {@code Workspace}, the Eclipse
 * builder through its editor documents): the generator sees only the IR.
 */
public final class CheckStage implements Stage<CheckStage.Input, CheckStage.Checked> {

    /**
     * @param diagnostics what loading, validation and lowering reported
     * @param program     the lowered program, null when {@code diagnostics} has errors
     * @param named       the networks to check (those declared in the files named, not those only imported)
     */
    public record Input(List<Diagnostic> diagnostics, Program program, Predicate<Network> named) {
    }

    /**
     * @param diagnostics the loaded ones, then one per budget a quick mapping exceeds
     * @param program     null when loading failed (nothing past validation ran)
     * @param networks    the checked networks
     * @param mappings    per network name, its quick mapping on each target its budgets name
     */
    public record Checked(List<Diagnostic> diagnostics, Program program, List<Network> networks,
                          Map<String, List<NetworkMapping>> mappings) {

        public List<Diagnostic> errors() {
            return diagnostics.stream().filter(Diagnostic::error).toList();
        }

        public boolean ok() {
            return program != null && errors().isEmpty();
        }
    }

    private final MapStage map = new MapStage(MapStage.Options.quick());
    private final boolean budgets;

    /** @param budgets whether to check latency/energy budgets on a quick mapping (empty {@code mappings} otherwise) */
    public CheckStage(boolean budgets) {
        this.budgets = budgets;
    }

    @Override
    public String name() {
        return "check";
    }

    @Override
    public Checked run(Input in) {
        List<Diagnostic> diagnostics = new ArrayList<>(in.diagnostics());
        if (in.program() == null || diagnostics.stream().anyMatch(Diagnostic::error)) {
            return new Checked(diagnostics, null, List.of(), Map.of());
        }
        List<Network> networks = in.program().networks().stream().filter(in.named()).toList();
        Map<String, List<NetworkMapping>> mappings = new LinkedHashMap<>();
        for (Network n : budgets ? networks : List.<Network>of()) {
            MapStage.Result onTargets = map.run(new MapStage.Input(in.program(), n));
            if (!onTargets.ok()) {
                // the quick search maps every layer that has a workload; a layer without a fit breaks a budget's premise
                diagnostics.add(Diagnostic.error(n.source(), "cannot map " + n.name() + ": " + onTargets.failure()));
            }
            for (NetworkMapping m : onTargets.mappings()) {
                diagnostics.addAll(BudgetCheck.violations(n, m));
            }
            mappings.put(n.name(), onTargets.mappings());
        }
        return new Checked(diagnostics, in.program(), networks, mappings);
    }
}
