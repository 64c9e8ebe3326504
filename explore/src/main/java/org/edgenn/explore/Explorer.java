package org.edgenn.explore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.generator.mapping.ScheduleMode;
import org.edgenn.dsl.edgeNN.Explore;
import org.edgenn.dsl.lowering.ExploreLowering;
import org.edgenn.dsl.lowering.Problems;
import org.edgenn.ir.spec.ExploreSpec;

/**
 * Runs one explore block: chooses candidates by its strategy, has the engine evaluate those not yet in
 * the cache (screening with the quick mapping search), stores every result the moment it arrives,
 * re-maps the screening front with the full search, and writes the outputs.
 */
public final class Explorer {

    /** What the command line gives: the file, the block (null: the file's only one), where to write, the engine. */
    public record Options(Path file, String text, String explore, Path out, boolean resume, Engine engine,
                          PrintWriter progress, ScheduleMode schedule) {
        /** The network-level schedule (the default of every command). */
        public Options(Path file, String text, String explore, Path out, boolean resume, Engine engine, PrintWriter progress) {
            this(file, text, explore, out, resume, engine, progress, ScheduleMode.NETWORK);
        }
    }

    /**
     * The candidates evaluated, the screening front (quick mapping), the final front (full mapping), and errors on
     * the explore block: a design every instance of which is invalid, or no feasible candidate at all; with nsga2 and
     * halving, the networks of each generation's bracket (in training order; empty otherwise).
     */
    public record Outcome(ExploreSpec spec, List<Result> screened, List<Result> screeningFront, List<Result> front,
                          List<String> blockErrors, List<List<String>> brackets) {
    }

    private final Options options;
    private final Store store;
    private final Progress progress;
    private final Engine.Job job;
    /** Trains a network to a rung (halving / hyperband); the generated trainer unless a test gives another. */
    private final Rungs.CandidateRungTrainer rungTrainer;
    private ExploreSpec spec;

    private Explorer(Options options, String exploreName, Rungs.CandidateRungTrainer rungTrainer) {
        this.options = options;
        this.store = new Store(options.out());
        this.progress = new Progress(options.progress());
        this.job = new Engine.Job(options.file().toAbsolutePath().normalize().toString(), options.text(), exploreName,
                options.schedule());
        if (rungTrainer != null) {
            this.rungTrainer = rungTrainer;
        } else {
            Evaluator[] trainerEvaluator = new Evaluator[1];   // built on first use: most explorations train nothing
            this.rungTrainer = (c, steps, from, to) -> {
                if (trainerEvaluator[0] == null) {
                    trainerEvaluator[0] = Evaluators.create(job);
                }
                return trainerEvaluator[0].trainRung(c, steps, from, to);
            };
        }
    }

    /** Runs the exploration; {@link IllegalArgumentException} for what the user must fix (message printed as is). */
    public static Outcome run(Options options) throws IOException {
        return run(options, null);
    }

    /** The same with another rung trainer (tests: a fake trainer with known loss curves); null: the generated one. */
    static Outcome run(Options options, Rungs.CandidateRungTrainer rungTrainer) throws IOException {
        Template template = Template.parse(options.file(), options.text());
        Explore block = options.explore() == null ? (template.explores().size() == 1 ? template.explores().get(0) : null)
                : template.explore(options.explore());
        if (block == null) {
            throw new IllegalArgumentException(options.explore() == null
                    ? (template.explores().isEmpty() ? options.file() + " declares no explore block (explore NAME { networks ... })"
                    : options.file() + " has " + template.explores().size() + " explore blocks; name one with --explore NAME")
                    : "no explore block named " + options.explore() + " in " + options.file());
        }
        Explorer e = new Explorer(options, block.getName(), rungTrainer);
        ExploreLowering.Result lowered = ExploreLowering.lower(block);
        if (lowered.explore() == null) {
            throw new IllegalArgumentException("explore " + block.getName() + " has errors: " + lowered.problems().all().stream()
                    .map(Problems.Problem::message).collect(java.util.stream.Collectors.joining("; ")));
        }
        e.spec = lowered.explore();
        return e.run(template);
    }

    private Outcome run(Template template) throws IOException {
        if (store.hasResults() && !options.resume()) {
            throw new IllegalArgumentException(options.out() + " holds the results of an exploration: add --resume to "
                    + "continue it, or choose another --out");
        }
        store.claim(options.text(), job.explore(), options.schedule().spelling());
        store.load();
        Space space = new Space(template, spec);
        List<String> objectives = spec.objectives().stream().map(ExploreSpec.Objective::spelling).toList();
        progress.start(spec.name(), space.size(), options.engine().describe(), objectives);
        Map<String, Result> screened = new LinkedHashMap<>();
        GenerationRungs generations = null;
        switch (spec.strategy().kind()) {
            case GRID:
                screen(space, space.grid(), screened, objectives);
                break;
            case RANDOM:
                screen(space, space.random(spec.strategy().samples(), spec.strategy().seed()), screened, objectives);
                break;
            default:
                progress.expect((long) spec.strategy().population() * (spec.strategy().generations() + 1));
                GenerationRungs g = spec.training().rungs()
                        ? new GenerationRungs(options.out(), rungTrainer, spec.training(), options.progress()) : null;
                generations = g;
                // with halving, each generation's new networks go through the rungs before NSGA-II ranks it
                Nsga2Search.run(space, objectives, spec.strategy().population(), spec.strategy().generations(),
                        spec.strategy().seed(), batch -> g == null ? screen(space, batch, screened, objectives)
                                : g.train(screen(space, batch, screened, objectives)));
                break;
        }
        List<Result> all = List.copyOf(screened.values());
        Map<String, Halving.UnitResult> rungs = null;
        if (generations != null) {
            rungs = generations.units();
            all = Rungs.with(all, rungs, spec.training());
            generations.finish();
        } else if (spec.training().rungs()) {   // halving / hyperband: the networks of the cost-feasible candidates, in rungs
            rungs = Rungs.train(options.out(), rungTrainer, spec.training(), all, options.progress());
            all = Rungs.with(all, rungs, spec.training());
        }
        List<Result> screeningFront = Pareto.front(all, objectives);
        List<Result> full = evaluate(screeningFront.stream().map(Result::candidate).toList(), Evaluator.Stage.FULL, null,
                objectives);
        if (rungs != null) {
            full = Rungs.with(full, rungs, spec.training());
        }
        List<Result> front = Pareto.front(full, objectives);
        progress.done(all, front);
        Outputs.write(options.out(), spec, all, screeningFront, full, front);
        return new Outcome(spec, all, screeningFront, front, blockErrors(all, template),
                generations == null ? List.of() : generations.brackets());
    }

    /**
     * A design whose every evaluated instance fails its checks (a shape error in each, say) is an error of the
     * block, as is a block with no feasible candidate; each is reported at the explore block with the first reason.
     */
    private List<String> blockErrors(List<Result> all, Template template) {
        List<String> errors = new ArrayList<>();
        String at = options.file() + ":" + spec.source().line() + ":" + spec.source().column() + ": ";
        for (String design : spec.networks()) {
            invalid(all.stream().filter(r -> r.candidate().network().equals(design)).toList(), design, template, at, errors);
        }
        for (String design : spec.accelerators()) {
            invalid(all.stream().filter(r -> r.candidate().accelerator().equals(design)).toList(), design, template, at, errors);
        }
        if (!all.isEmpty() && all.stream().noneMatch(Result::feasible) && errors.isEmpty()) {
            errors.add(at + "no candidate of explore " + spec.name() + " is feasible; the first: "
                    + all.get(0).candidate().key() + ": " + String.join("; ", all.get(0).problems()));
        }
        return errors;
    }

    /** Every instance of the design has an error in the design's own text (instances keep the family's lines). */
    private static void invalid(List<Result> results, String design, Template template, String at, List<String> errors) {
        var node = template.design(design) == null ? null
                : org.eclipse.xtext.nodemodel.util.NodeModelUtils.getNode(template.design(design));
        if (node == null || results.isEmpty()) {
            return;
        }
        int first = node.getStartLine();
        int last = node.getEndLine();
        java.util.function.Predicate<String> own = p -> {
            int colon = p.indexOf(':');
            if (colon < 1 || !p.endsWith("]") || p.endsWith("[budgetExceeded]")) {
                return false;
            }
            try {
                int line = Integer.parseInt(p.substring(0, colon));
                return line >= first && line <= last;
            } catch (NumberFormatException e) {
                return false;
            }
        };
        if (results.stream().allMatch(r -> !r.feasible() && r.problems().stream().anyMatch(own))) {
            Result r = results.get(0);
            errors.add(at + "every instance of " + design + " is invalid; the first, " + r.candidate().key() + ": "
                    + r.problems().stream().filter(own).findFirst().orElseThrow());
        }
    }

    /** Screens candidates in order (each distinct one once), returning one result per candidate given. */
    private List<Result> screen(Space space, List<Candidate> batch, Map<String, Result> screened, List<String> objectives) {
        List<Candidate> admitted = new ArrayList<>();
        for (Candidate c : batch) {
            if (space.admitted(c)) {
                admitted.add(c);
            } else if (!screened.containsKey(c.key())) {
                // NSGA-II may propose bindings its family's constraints exclude: recorded, never evaluated
                Result r = new Result(c, "quick", false, Map.of(), List.of("excluded by the constraints (where ...) of "
                        + c.network() + " or " + c.accelerator()), "");
                screened.put(c.key(), r);
            }
        }
        evaluate(admitted, Evaluator.Stage.QUICK, screened, objectives);
        List<Result> out = new ArrayList<>();
        for (Candidate c : batch) {
            out.add(screened.get(c.key()));
        }
        return out;
    }

    /** Evaluates what the cache lacks, in batches of a few per thread, storing each result as its batch returns. */
    private List<Result> evaluate(List<Candidate> candidates, Evaluator.Stage stage, Map<String, Result> into,
                                  List<String> objectives) {
        List<Result> out = new ArrayList<>();
        List<Candidate> todo = new ArrayList<>();
        for (Candidate c : candidates) {
            if (store.get(c, stage) == null && todo.stream().noneMatch(t -> t.key().equals(c.key()))) {
                todo.add(c);
            }
        }
        int batchSize = Math.max(1, options.engine().batchSize());
        for (int i = 0; i < todo.size(); i += batchSize) {
            List<Candidate> batch = todo.subList(i, Math.min(todo.size(), i + batchSize));
            for (Result r : options.engine().evaluate(job, batch, stage)) {
                try {
                    store.put(r);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (into != null) {
                    into.put(r.candidate().key(), r);
                }
                progress.evaluated(r, stage, into == null ? List.of() : Pareto.front(List.copyOf(into.values()), objectives));
            }
        }
        for (Candidate c : candidates) {
            Result r = store.get(c, stage);
            if (into != null && !into.containsKey(c.key())) {
                into.put(c.key(), r);
                progress.cached(r);
            }
            out.add(r);
        }
        return out;
    }
}
