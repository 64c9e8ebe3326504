package org.edgenn.generator.training;

import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.graph.Program;
import org.edgenn.ir.ops.Source;
import org.edgenn.ir.spec.TrainingSpec;

/**
 * The train block a network's trainer is generated from: its own; without one, a teacher's train block whose data
 * binds names this network also has (a distilled student trains on its teacher's data, {@code teacher} then names
 * it; the teacher's curriculum is not inherited: it is about the teacher's unroll block); else none ({@code spec} null: the trainer uses defaults and reports the missing data).
 */
public record TrainBlock(TrainingSpec spec, String teacher) {

    public static TrainBlock of(Program program, Network net) {
        TrainingSpec own = program.training(net.name()).orElse(null);
        if (own != null) {
            return new TrainBlock(own, null);
        }
        for (Node t : net.sources(Source.Role.TEACHER)) {
            TrainingSpec ts = program.training(((Source) t.op()).reference()).orElse(null);
            if (ts != null && ts.bindings().stream().allMatch(b -> net.nodes().stream().anyMatch(n -> n.name().equals(b)))) {
                return new TrainBlock(new TrainingSpec(net.name(), ts.data(), ts.bindings(), ts.optimizer(), ts.schedule(),
                        ts.epochs(), ts.batch(), ts.seed(), -1, -1, -1, null), ts.network());
            }
        }
        return new TrainBlock(null, null);
    }

    /** The trainer plan of {@code net} in {@code program}, or why there is none. */
    public static TrainingPlanner.Result attempt(Program program, Network net) {
        return TrainingPlanner.attempt(net, of(program, net).spec(), n -> program.network(n).orElse(null));
    }

    /** The trainer of {@code net} in {@code program}. */
    public static GeneratedTrainer generate(Program program, Network net) {
        return TrainerGenerator.generate(net, of(program, net).spec(), n -> program.network(n).orElse(null));
    }
}
