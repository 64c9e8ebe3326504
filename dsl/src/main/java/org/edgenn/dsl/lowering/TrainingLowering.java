package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgenn.dsl.edgeNN.BatchItem;
import org.edgenn.dsl.edgeNN.CurriculumItem;
import org.edgenn.dsl.edgeNN.DataItem;
import org.edgenn.dsl.edgeNN.EpochsItem;
import org.edgenn.dsl.edgeNN.Input;
import org.edgenn.dsl.edgeNN.Label;
import org.edgenn.dsl.edgeNN.OptimizerItem;
import org.edgenn.dsl.edgeNN.PruneScheduleItem;
import org.edgenn.dsl.edgeNN.QatItem;
import org.edgenn.dsl.edgeNN.ScheduleItem;
import org.edgenn.dsl.edgeNN.SeedItem;
import org.edgenn.dsl.edgeNN.Symbol;
import org.edgenn.dsl.edgeNN.TrainItem;
import org.edgenn.dsl.edgeNN.Training;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.spec.Curriculum;
import org.edgenn.ir.spec.TrainingSpec;
import org.edgenn.ir.spec.Value;

/** Lowers a {@code train} block, checking the data source, its bindings, the optimizer, the curriculum and the epochs. */
public final class TrainingLowering {

    /** Data sources and the tensors each provides, in binding order. */
    public static final Map<String, List<String>> DATA_SOURCES = Map.of(
            "synthetic_sparse", List.of("measurement y = A x", "sparse code x"),
            "fashion_mnist", List.of("image [1, 28, 28]", "one-hot label [10]"),
            "idx", List.of("image", "one-hot label"),
            "image_patches", List.of("noisy patch", "clean patch"),
            "image_pairs", List.of("down-sampled image", "original image"));

    public static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd", "rmsprop");
    public static final List<String> SCHEDULES = List.of("constant", "cosine", "step", "exponential");

    public record Result(TrainingSpec training, Problems problems) {
    }

    private TrainingLowering() {
    }

    public static Result lower(Training t) {
        Problems problems = new Problems();
        if (t.getNetwork() == null || t.getNetwork().eIsProxy()) {
            return new Result(null, problems); // the linker reports it
        }
        DataItem data = null;
        OptimizerItem optimizer = null;
        ScheduleItem schedule = null;
        CurriculumItem curriculumItem = null;
        Integer epochs = null;
        Integer batch = null;
        long seed = 1;
        int qat = -1;
        int pruneFrom = -1;
        int pruneTo = -1;
        List<TrainItem> seen = new ArrayList<>();
        for (TrainItem item : t.getItems()) {
            if (seen.stream().anyMatch(s -> s.eClass() == item.eClass())) {
                problems.error(item, null, IssueCodes.DUPLICATE_SPEC, "this training setting is given twice");
                continue;
            }
            seen.add(item);
            if (item instanceof DataItem d) {
                data = d;
            } else if (item instanceof OptimizerItem o) {
                optimizer = o;
            } else if (item instanceof ScheduleItem s) {
                schedule = s;
            } else if (item instanceof CurriculumItem c) {
                curriculumItem = c;
            } else if (item instanceof EpochsItem e) {
                epochs = positive(e, EPOCHS_ITEM__EPOCHS, e.getEpochs(), "epochs", problems);
            } else if (item instanceof BatchItem b) {
                batch = positive(b, BATCH_ITEM__BATCH, b.getBatch(), "batch", problems);
            } else if (item instanceof SeedItem s) {
                seed = s.getSeed();
            } else if (item instanceof QatItem q) {
                qat = q.getEpoch();
            } else if (item instanceof PruneScheduleItem p) {
                pruneFrom = p.getStart();
                pruneTo = p.getEnd();
                if (pruneTo < pruneFrom) {
                    problems.error(p, PRUNE_SCHEDULE_ITEM__END, IssueCodes.BAD_TRAINING, "pruning must end after it starts");
                }
            }
        }
        if (data == null) {
            problems.error(t, TRAINING__NETWORK, IssueCodes.BAD_TRAINING, "train " + t.getNetwork().getName()
                    + " needs a data source: data synthetic_sparse(m=250, n=500) -> y, t");
        }
        if (epochs == null && seen.stream().noneMatch(EpochsItem.class::isInstance)) {
            problems.error(t, TRAINING__NETWORK, IssueCodes.BAD_TRAINING, "train " + t.getNetwork().getName()
                    + " needs its number of epochs: epochs 10");
        }
        int e = epochs == null ? 1 : epochs;
        checkEpoch(t, qat, e, "qat", problems);
        checkEpoch(t, pruneTo, e, "pruning", problems);
        Value.Word dataValue = data == null ? null : data(data, problems);
        Value.Word opt = optimizer == null ? Value.Word.of("adam") : word(optimizer.getOptimizer(), OPTIMIZERS,
                optimizer, OPTIMIZER_ITEM__OPTIMIZER, IssueCodes.UNKNOWN_OPTIMIZER, "optimizer", problems);
        Value.Word sched = schedule == null ? Value.Word.of("constant") : word(schedule.getSchedule(), SCHEDULES,
                schedule, SCHEDULE_ITEM__SCHEDULE, IssueCodes.BAD_TRAINING, "schedule", problems);
        Curriculum curriculum = curriculumItem == null ? null
                : CurriculumLowering.lower(curriculumItem, t.getNetwork(), problems);
        List<String> bindings = data == null ? List.of() : data.getBindings().stream().map(Names::of).toList();
        if (problems.hasErrors()) {
            return new Result(null, problems);
        }
        return new Result(new TrainingSpec(t.getNetwork().getName(), dataValue, bindings, opt, sched, e,
                batch == null ? 32 : batch, seed, qat, pruneFrom, pruneTo, curriculum), problems);
    }

    private static Value.Word data(DataItem d, Problems problems) {
        if (d.getSource() == null) {
            return null;
        }
        Value.Word source = (Value.Word) Attrs.toValue(d.getSource());
        List<String> provides = DATA_SOURCES.get(source.name());
        if (provides == null) {
            problems.error(d, DATA_ITEM__SOURCE, IssueCodes.UNKNOWN_DATA_SOURCE, "unknown data source '" + source.name()
                    + "'; expected one of " + String.join(", ", new java.util.TreeSet<>(DATA_SOURCES.keySet())));
            return null;
        }
        if (d.getBindings().size() != provides.size()) {
            problems.error(d, DATA_ITEM__SOURCE, IssueCodes.BAD_BINDING, source.name() + " provides "
                    + String.join(" and ", provides) + ": bind " + provides.size() + " names with -> "
                    + (d.getBindings().isEmpty() ? "" : "(got " + d.getBindings().size() + ")"));
            return null;
        }
        for (int i = 0; i < d.getBindings().size(); i++) {
            Symbol s = d.getBindings().get(i);
            if (!s.eIsProxy() && !(s instanceof Input) && !(s instanceof Label)) {
                problems.error(d, DATA_ITEM__BINDINGS, i, IssueCodes.BAD_BINDING, "data binds to inputs and labels; "
                        + Names.of(s) + " is neither");
                return null;
            }
        }
        return source;
    }

    private static Value.Word word(org.edgenn.dsl.edgeNN.WordValue w, List<String> known, TrainItem at,
                                   org.eclipse.emf.ecore.EStructuralFeature f, String code, String what, Problems problems) {
        if (w == null) {
            return null;
        }
        if (!known.contains(w.getWord())) {
            problems.error(at, f, code, "unknown " + what + " '" + w.getWord() + "'; expected one of " + String.join(", ", known));
            return null;
        }
        return (Value.Word) Attrs.toValue(w);
    }

    private static Integer positive(TrainItem at, org.eclipse.emf.ecore.EStructuralFeature f, int v, String what,
                                    Problems problems) {
        if (v < 1) {
            problems.error(at, f, IssueCodes.BAD_TRAINING, what + " must be at least 1");
            return null;
        }
        return v;
    }

    private static void checkEpoch(Training t, int epoch, int epochs, String what, Problems problems) {
        if (epoch >= epochs) {
            problems.error(t, TRAINING__NETWORK, IssueCodes.BAD_TRAINING, what + " starts or ends at epoch " + epoch
                    + " but training runs epochs 0 to " + (epochs - 1));
        }
    }
}
