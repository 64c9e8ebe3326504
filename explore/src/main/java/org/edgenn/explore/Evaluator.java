package org.edgenn.explore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.dsl.workspace.Workspace;
import org.edgenn.generator.mapping.BudgetCheck;
import org.edgenn.generator.mapping.CapacityRepair;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.ScheduleMode;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.Diagnostic;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.ir.spec.Budget;
import org.edgenn.ir.spec.ExploreSpec;

/**
 * Evaluates candidates, cheapest check first: the instance text is parsed and validated like a
 * hand-written file (its errors make it infeasible, with their positions and issue codes), lowered,
 * its parameter and MAC counts taken, then every layer mapped on the candidate's accelerator (the
 * quick search when screening, the full search for the front); last, the network's own budgets on
 * that accelerator and the explore block's budgets. One evaluator per thread: it holds EMF models.
 */
public final class Evaluator {
    /** The two mapping searches: quick for screening every candidate, full for the front. */
    public enum Stage { QUICK, FULL }

    private final Template template;
    private final List<Budget> budgets;
    private final ExploreSpec.TrainingBudget training;
    private final ScheduleMode schedule;
    private final String exploreName;
    private final XtextResourceSet candidates;
    private final ProgramLowering lowering;
    private final CapacitySiblings siblings;
    /** The exploration's file (path and text): what a network binding's meaning depends on. */
    private final String textKey;
    private int serial;

    public Evaluator(Path file, String text, String exploreName, List<Budget> budgets) {
        this(file, text, exploreName, budgets, ExploreSpec.TrainingBudget.NONE, ScheduleMode.NETWORK);
    }

    /**
     * With {@code training steps(n=N)}: every feasible candidate's network is trained (once per binding) and scored;
     * {@code schedule}: how a candidate's network runs on its accelerator (what its energy and latency are costed as).
     */
    public Evaluator(Path file, String text, String exploreName, List<Budget> budgets, ExploreSpec.TrainingBudget training,
                     ScheduleMode schedule) {
        this.training = training;
        this.schedule = schedule;
        this.template = Template.parse(file, text);
        this.exploreName = exploreName;
        this.budgets = List.copyOf(budgets);
        this.candidates = Workspace.injector().getInstance(XtextResourceSet.class);
        this.candidates.addLoadOption(XtextResource.OPTION_RESOLVE_ALL, Boolean.TRUE);
        this.lowering = Workspace.injector().getInstance(ProgramLowering.class);
        this.siblings = new CapacitySiblings(template);
        this.textKey = file.toAbsolutePath().normalize() + "\n" + text;
    }

    public Result evaluate(Candidate c, Stage stage) {
        String text = template.instance(c);
        List<String> problems = new ArrayList<>();
        Path where = template.file().resolveSibling("." + template.file().getFileName() + ".candidate-" + (serial++) + ".edgenn");
        Resource r = candidates.createResource(URI.createFileURI(where.toAbsolutePath().normalize().toString()));
        try {
            r.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
            var validator = ((XtextResource) r).getResourceServiceProvider().getResourceValidator();
            for (Issue issue : validator.validate(r, CheckMode.ALL, CancelIndicator.NullImpl)) {
                if (issue.getSeverity() == org.eclipse.xtext.diagnostics.Severity.ERROR) {
                    problems.add(issue.getLineNumber() + ":" + issue.getColumn() + ": " + issue.getMessage()
                            + " [" + shortCode(issue.getCode()) + "]");
                }
            }
            if (!problems.isEmpty()) {
                return infeasible(c, stage, problems, text);
            }
            Program program = lowering.lowerAll(candidates);
            Network net = program.network(c.network()).orElse(null);
            AcceleratorSpec acc = program.accelerator(c.accelerator()).orElse(null);
            if (net == null || acc == null) {
                problems.add("1:1: the instance does not lower to network " + c.network() + " and accelerator " + c.accelerator());
                return infeasible(c, stage, problems, text);
            }
            Result scored = score(c, stage, net, acc, text);
            return scored.feasible() && training.kind() == ExploreSpec.TrainingBudget.Kind.STEPS
                    ? trained(scored, program, net) : scored;
        } catch (IOException e) {
            problems.add("1:1: cannot parse the instance: " + e.getMessage());
            return infeasible(c, stage, problems, text);
        } finally {
            r.unload();
            candidates.getResources().remove(r);
        }
    }

    /**
     * Trains the network of {@code c} to {@code steps} for a rung of successive halving, continuing from the checkpoint
     * {@code from} (null: from scratch) and saving to {@code to}; its task metrics, or {@link CandidateTrainer.TrainingException}.
     */
    Map<String, Double> trainRung(Candidate c, int steps, Path from, Path to) {
        String text = template.instance(c);
        Path where = template.file().resolveSibling("." + template.file().getFileName() + ".candidate-" + (serial++) + ".edgenn");
        Resource r = candidates.createResource(URI.createFileURI(where.toAbsolutePath().normalize().toString()));
        try {
            r.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
            Program program = lowering.lowerAll(candidates);
            Network net = program.network(c.network()).orElseThrow(() -> new CandidateTrainer.TrainingException(
                    "the instance does not lower to network " + c.network()));
            int maxSteps = java.util.Collections.max(training.rungBudgets());   // every rung is part of a training to this
            Map<String, Double> m = new LinkedHashMap<>(CandidateTrainer.trainRung(program, net, steps, maxSteps,
                    template.file().toAbsolutePath().getParent(), from, to));
            m.put("continued", from != null ? 1.0 : 0.0);
            return m;
        } catch (IOException e) {
            throw new CandidateTrainer.TrainingException("cannot parse the instance of " + c.networkKey() + ": " + e.getMessage());
        } finally {
            r.unload();
            candidates.getResources().remove(r);
        }
    }

    private Result score(Candidate c, Stage stage, Network net, AcceleratorSpec acc, String text) {
        List<String> problems = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<LayerStats> rows = LayerStats.of(net);
        metrics.put("params", (double) LayerStats.totalParams(rows));
        metrics.put("macs", (double) LayerStats.totalMacs(rows));
        metrics.put("area", acc.areaMm2());
        NetworkMapping mapping;
        try {
            SearchOptions options = (stage == Stage.QUICK ? SearchOptions.quick() : SearchOptions.defaults()).withThreads(1);
            mapping = mapped(c, net, acc, options);
            // capacity repair: the family's accelerators with smaller memories map this network too, and their mappings
            // fit here; re-costed on this accelerator, the best of them replaces the search's when better (docs/explore.md)
            List<NetworkMapping> smaller = new ArrayList<>();
            for (AcceleratorSpec s : siblings.smaller(c, acc)) {
                try {
                    smaller.add(mapped(c, net, s, options));
                } catch (RuntimeException e) {
                    // nothing maps on that one: nothing to re-cost
                }
            }
            NetworkMapping searched = mapping;
            mapping = CapacityRepair.best(searched, smaller, options);
            if (mapping != searched) {
                metrics.put("edp_searched", searched.totalEnergyPj() * 1e-12 * searched.totalLatencySeconds());
            }
        } catch (Exception e) {
            problems.add("1:1: no valid mapping of " + c.network() + " on " + c.accelerator() + ": " + e.getMessage());
            return new Result(c, stage.name().toLowerCase(Locale.ROOT), false, metrics, problems, text);
        }
        double energy = mapping.totalEnergyPj() * 1e-12;
        double latency = mapping.totalLatencySeconds();
        metrics.put("energy", energy);
        metrics.put("latency", latency);
        metrics.put("edp", energy * latency);
        for (Diagnostic d : BudgetCheck.violations(net, mapping)) {
            problems.add(d.line() + ":" + d.column() + ": " + d.message() + " [budgetExceeded]");
        }
        for (Budget b : budgets) {
            double actual = b.metric() == Budget.Metric.ENERGY ? energy : b.metric() == Budget.Metric.LATENCY ? latency
                    : metrics.get(b.metric().spelling());
            if (!b.admits(actual)) {
                problems.add(b.source().line() + ":" + b.source().column() + ": " + b.violation(shown(b.metric(), actual))
                        + " (explore " + exploreName + ") [budgetExceeded]");
            }
        }
        return new Result(c, stage.name().toLowerCase(Locale.ROOT), problems.isEmpty(), metrics, problems, text);
    }

    /**
     * The network mapped on {@code acc} under this exploration's schedule: the network schedule (fusion, tied weights
     * and states on chip), what a deployed design costs; or layer by layer when asked (every layer and element-wise op
     * a pass through DRAM: the classic per-layer mappers' view). Shared across this JVM's evaluators by the instance's
     * network text and the accelerator (the search is deterministic).
     */
    private NetworkMapping mapped(Candidate c, Network net, AcceleratorSpec acc, SearchOptions options) {
        return LayerMappings.network(List.of(textKey, c.networkKey(), acc, options, schedule), () -> switch (schedule) {
            case NETWORK -> LayerMappings.map(IrWorkloads.graph(net, acc), acc, options);
            case LAYER_BY_LAYER -> LayerMappings.map(IrWorkloads.of(net, acc), acc, options);
            case DEPTH_FIRST -> throw new IllegalArgumentException("explore does not search depth-first stacks");
        });
    }

    /** The cost-feasible candidate trained: its task metric joins its metrics, or why training failed its problems. */
    private Result trained(Result r, Program program, Network net) {
        Candidate c = r.candidate();
        String key = template.file().toAbsolutePath() + "#" + c.network() + c.networkBinding() + "#" + training.steps();
        Map<String, Double> metrics = new LinkedHashMap<>(r.metrics());
        try {
            metrics.putAll(CandidateTrainer.train(key, program, net, training.steps(), template.file().toAbsolutePath().getParent()));
        } catch (CandidateTrainer.TrainingException e) {
            return new Result(c, r.stage(), false, metrics, List.of("1:1: " + e.getMessage() + " [training]"), r.text());
        }
        return new Result(c, r.stage(), true, metrics, r.problems(), r.text());
    }

    private static String shown(Budget.Metric m, double v) {
        switch (m) {
            case LATENCY: return org.edgenn.ir.Formats.duration(v);
            case ENERGY: return org.edgenn.ir.Formats.energy(v);
            case AREA: return String.format(Locale.ROOT, "%.3g mm2", v);
            default: return org.edgenn.ir.Formats.compactCount(v);
        }
    }

    private static Result infeasible(Candidate c, Stage stage, List<String> problems, String text) {
        return new Result(c, stage.name().toLowerCase(Locale.ROOT), false, Map.of(), problems, text);
    }

    private static String shortCode(String code) {
        return code == null ? "syntax" : code.substring(code.lastIndexOf('.') + 1);
    }
}
