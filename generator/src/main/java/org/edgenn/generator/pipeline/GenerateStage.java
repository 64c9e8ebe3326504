package org.edgenn.generator.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.generator.inference.InferencePlanner;
import org.edgenn.generator.inference.PlanResult;
import org.edgenn.generator.training.TrainBlock;
import org.edgenn.generator.training.TrainerGenerator;
import org.edgenn.generator.training.TrainingPlanner;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;

/**
 * The generate stage: a network's int8 inference class and its trainer, each planned first; what cannot be planned is
 * an {@link Outcome.Unsupported} with the planner's reason, so callers report it (a warning in Maven, a line in the
 * CLI) instead of catching exceptions by type.
 */
public final class GenerateStage implements Stage<GenerateStage.Input, List<Outcome>> {

    /** Which outputs to generate. */
    public record Options(boolean inference, boolean trainer) {
    }

    /** One network of a lowered program (the program resolves teachers and train blocks). */
    public record Input(Program program, Network network) {
    }

    private final Options options;

    public GenerateStage(Options options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public List<Outcome> run(Input in) {
        Network net = in.network();
        List<Outcome> out = new ArrayList<>();
        if (options.inference()) {
            PlanResult r = InferencePlanner.attempt(net);
            if (r instanceof PlanResult.Planned p) {
                out.add(new Outcome.Generated(Outcome.INT8, net.name(), InferenceGenerator.generate(p.plan())));
            } else {
                PlanResult.Unsupported u = (PlanResult.Unsupported) r;
                out.add(new Outcome.Unsupported(Outcome.INT8, net.name(), "node " + u.node() + " (" + u.op() + ")"
                        + (u.source().isEmpty() ? "" : " at " + u.source()) + ": " + u.reason()));
            }
        }
        if (options.trainer()) {
            if (net.loss() == null) {
                out.add(new Outcome.Skipped(Outcome.TRAINER, net.name(), net.name() + " declares no loss"));
            } else {
                TrainingPlanner.Result r = TrainBlock.attempt(in.program(), net);
                if (r instanceof TrainingPlanner.Result.Planned p) {
                    out.add(new Outcome.Generated(Outcome.TRAINER, net.name(), TrainerGenerator.generate(p.plan())));
                } else {
                    out.add(new Outcome.Unsupported(Outcome.TRAINER, net.name(), ((TrainingPlanner.Result.Unsupported) r).reason()));
                }
            }
        }
        return out;
    }
}
