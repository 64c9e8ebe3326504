package org.edgenn.generator.training;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.edgenn.ir.graph.CurriculumPlan;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.generator.ops.OpTraitsRegistry;
import org.edgenn.ir.ops.Source;
import org.edgenn.ir.spec.Compression;
import org.edgenn.ir.spec.TrainingSpec;
import org.edgenn.ir.spec.vocab.Curriculum;
import org.edgenn.ir.spec.vocab.Optimizer;
import org.edgenn.ir.spec.vocab.Schedule;

/** Decides a network's {@link TrainingPlan} from its IR and train block; no text. */
public final class TrainingPlanner {

    private TrainingPlanner() {
    }

    /**
     * @param spec     the network's train block, or null
     * @param networks looks up other networks by name (teachers); may return null for unknown names
     * @throws UnsupportedTrainingException when the network cannot be trained by a generated trainer (no input, an
     *                                      unknown teacher)
     */
    public static TrainingPlan plan(Network net, TrainingSpec spec, Function<String, Network> networks) {
        return attempt(net, spec, networks).orElseThrow();
    }

    /** The plan, or why a generated trainer cannot train {@code net} (no input, an unknown teacher). */
    public static Result attempt(Network net, TrainingSpec spec, Function<String, Network> networks) {
        if (net.inputs().isEmpty()) {
            return new Result.Unsupported(net.name(), "network " + net.name() + " has no input");
        }
        for (org.edgenn.ir.graph.Weight w : net.weights()) {
            Compression.Quantization q = net.compression().weightsOf(w.layer());
            if (q != null && q.bits() > 8 && w.role().equals("weight")) {
                return new Result.Unsupported(net.name(), q.source() + ": " + q.precision().spelling() + " weights ("
                        + w.layer() + ") have no artifact format yet: weights are exported at 2, 4 or 8 bits");
            }
        }
        List<TrainingPlan.Teacher> teachers = new ArrayList<>();
        for (Node t : net.sources(Source.Role.TEACHER)) {
            Source s = (Source) t.op();
            Network teacher = networks.apply(s.reference());
            if (teacher == null) {
                return new Result.Unsupported(net.name(), "teacher " + t.name() + " refers to unknown network " + s.reference());
            }
            teachers.add(new TrainingPlan.Teacher(t, teacher));
        }
        Compression c = net.compression() == null ? Compression.NONE : net.compression();
        CurriculumPlan curriculum = spec == null || spec.curriculum() == null || net.loss() == null ? null : CurriculumPlan.of(net);
        TrainingPlan.Settings settings = new TrainingPlan.Settings(
                spec == null || spec.epochs() < 0 ? 10 : spec.epochs(),
                spec == null || spec.batch() <= 0 ? 32 : spec.batch(),
                spec == null ? 1 : spec.seed(),
                spec == null ? -1 : spec.qatFromEpoch(),
                spec == null ? -1 : spec.pruneFromEpoch(),
                spec == null ? -1 : spec.pruneToEpoch(),
                curriculum != null && spec.curriculum() instanceof Curriculum.Layerwise l ? l.epochs() : 0);
        return new Result.Planned(new TrainingPlan(net, spec, TrainerGenerator.className(net.name()), placeholders(net, spec, Source.Role.INPUT),
                placeholders(net, spec, Source.Role.LABEL), metric(net), settings, spec == null ? null : spec.data(),
                spec == null ? Optimizer.DEFAULT : spec.optimizer(), spec == null ? Schedule.DEFAULT : spec.schedule(),
                c.weights() != null || c.activations() != null, c.weights() != null && !c.weights().perChannel(),
                curriculum, teachers));
    }

    /** The outcome of planning a trainer: the plan, or the reason there is none. */
    public sealed interface Result permits Result.Planned, Result.Unsupported {

        /** The plan, or an {@link UnsupportedTrainingException} carrying the reason. */
        TrainingPlan orElseThrow();

        record Planned(TrainingPlan plan) implements Result {
            @Override
            public TrainingPlan orElseThrow() {
                return plan;
            }
        }

        record Unsupported(String network, String reason) implements Result {
            @Override
            public TrainingPlan orElseThrow() {
                throw new UnsupportedTrainingException(reason);
            }
        }
    }

    /** The train block's bindings of {@code role} first, in its order, then the network's other sources of that role. */
    private static List<String> placeholders(Network net, TrainingSpec spec, Source.Role role) {
        List<String> r = new ArrayList<>();
        for (String s : spec == null ? List.<String>of() : spec.bindings()) {
            if (net.nodes().stream().anyMatch(n -> n.name().equals(s) && n.op().sourceRole() == role)) {
                r.add(s);
            }
        }
        for (Node n : role == Source.Role.INPUT ? net.inputs() : net.sources(role)) {
            if (!r.contains(n.name())) {
                r.add(n.name());
            }
        }
        return r;
    }

    /**
     * The metric a loss names (its traits: accuracy on the logits of a cross-entropy loss), else PSNR for image
     * outputs, else NMSE of the output.
     */
    private static TrainingPlan.Metric metric(Network net) {
        for (Node n : net.nodes()) {
            String named = OpTraitsRegistry.of(n.op()).trainingMetric(n.op());
            if (named != null) {
                return new TrainingPlan.Metric(named, n.inputs().get(0));
            }
        }
        Node out = net.node(net.outputs().get(0));
        return new TrainingPlan.Metric(out.shape().rank() == 3 ? "psnr_db" : "nmse_db", out.name());
    }
}
