package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.ArrayList;
import java.util.List;
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
import org.edgenn.ir.spec.TrainingSpec;
import org.edgenn.ir.spec.vocab.Curriculum;
import org.edgenn.ir.spec.vocab.DataSource;
import org.edgenn.ir.spec.vocab.Optimizer;
import org.edgenn.ir.spec.vocab.Schedule;
import org.edgenn.ir.spec.vocab.Term;
import org.edgenn.ir.spec.vocab.Vocabulary;

/**
 * Lowers a {@code train} block, checking the data source, its bindings, the optimizer, the schedule, the curriculum
 * and the epochs. Data source, optimizer and schedule are terms of the {@link Vocabulary}, lowered by
 * {@link TermLowering} with every argument checked.
 */
public final class TrainingLowering {

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
        EpochsItem epochsItem = null;
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
                epochsItem = e;
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
        if (epochsItem != null) {
            // a curriculum may do all the training: epochs 0 then means no joint epochs after it
            if (epochsItem.getEpochs() == 0 && curriculumItem != null) {
                epochs = 0;
            } else {
                epochs = positive(epochsItem, EPOCHS_ITEM__EPOCHS, epochsItem.getEpochs(), "epochs", problems);
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
        DataSource dataValue = data == null ? null : data(data, problems);
        if (dataValue != null && !(dataValue instanceof DataSource.SyntheticSparse)) {
            checkProblemInitializers(t, data, problems);
        }
        Optimizer opt = optimizer == null ? Optimizer.DEFAULT
                : TermLowering.lower(Term.Kind.OPTIMIZER, optimizer.getOptimizer(), problems);
        Schedule sched = schedule == null ? Schedule.DEFAULT
                : TermLowering.lower(Term.Kind.SCHEDULE, schedule.getSchedule(), problems);
        Curriculum curriculum = curriculumItem == null ? null
                : CurriculumLowering.lower(curriculumItem, t.getNetwork(), problems);
        List<String> bindings = data == null ? List.of() : data.getBindings().stream().map(Names::of).toList();
        if (problems.hasErrors()) {
            return new Result(null, problems);
        }
        return new Result(new TrainingSpec(t.getNetwork().getName(), dataValue, bindings, opt, sched, e,
                batch == null ? 32 : batch, seed, qat, pruneFrom, pruneTo, curriculum), problems);
    }

    /** The initializers that read the synthetic problem's dictionary A (the trainer's {@code problem()}). */
    static final java.util.Set<String> FROM_PROBLEM = java.util.Set.of("dictionary", "dictionary_t", "ista_s", "alista_w", "alista_s",
            "ista_step", "ista_threshold", "admm_inverse");

    /**
     * A weight initialised from the synthetic problem's A ({@code init=dictionary}, {@code alista_w}, ...) has no A to
     * read under any other data source: an error on the data source, naming the weight and where it is declared.
     */
    private static void checkProblemInitializers(Training t, DataItem data, Problems problems) {
        for (org.edgenn.dsl.edgeNN.Member m : t.getNetwork().getMembers()) {
            org.edgenn.dsl.edgeNN.WordValue init = null;
            String what = null;
            if (m instanceof org.edgenn.dsl.edgeNN.LayerDecl l && l.getSpec() != null) {
                for (org.edgenn.dsl.edgeNN.CallArg a : l.getSpec().getArgs()) {
                    if (a instanceof org.edgenn.dsl.edgeNN.Attribute at && "init".equals(at.getName())
                            && at.getValue() instanceof org.edgenn.dsl.edgeNN.WordValue w) {
                        init = w;
                    }
                }
                what = "layer " + l.getName();
            } else if (m instanceof org.edgenn.dsl.edgeNN.ParamDecl pd && pd.getInit() instanceof org.edgenn.dsl.edgeNN.WordValue w) {
                init = w;
                what = "param " + pd.getName();
            }
            if (init != null && FROM_PROBLEM.contains(init.getWord())) {
                int line = org.eclipse.xtext.nodemodel.util.NodeModelUtils.getNode(init) == null ? -1
                        : org.eclipse.xtext.nodemodel.util.NodeModelUtils.getNode(init).getStartLine();
                problems.error(data, DATA_ITEM__SOURCE, IssueCodes.BAD_TRAINING, what + (line > 0 ? " (line " + line + ")" : "")
                        + " has init=" + init.getWord() + ", which reads the dictionary A of synthetic_sparse data; data "
                        + data.getSource().getWord() + " has no A: train on data synthetic_sparse(...) or give the weight another initializer");
            }
        }
    }

    private static DataSource data(DataItem d, Problems problems) {
        if (d.getSource() == null || d.getSource().getWord() == null) {
            return null;
        }
        Term<?> term = Vocabulary.find(Term.Kind.DATA_SOURCE, d.getSource().getWord()).orElse(null);
        DataSource source = TermLowering.lower(Term.Kind.DATA_SOURCE, d.getSource(), problems);
        if (term == null) {
            return null;
        }
        List<String> provides = term.provides();
        if (d.getBindings().size() != provides.size()) {
            problems.error(d, DATA_ITEM__SOURCE, IssueCodes.BAD_BINDING, term.name() + " provides "
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
        if (source instanceof DataSource.SyntheticSparse ss) {
            checkProblemFiles(d, ss, problems);
        }
        return source;
    }

    /**
     * The researcher's own matrix and held-out set of {@code synthetic_sparse(matrix=, x_test=, y_test=)}: read now, so
     * that a missing, malformed or mis-shaped file is an error on the string naming it (A must be {@code (m, n)},
     * x_test {@code (count, n)}, y_test {@code (count, m)}).
     */
    private static void checkProblemFiles(DataItem d, DataSource.SyntheticSparse ss, Problems problems) {
        int m = ss.m() != null ? ss.m() : bindingSize(d, 0);
        int n = ss.n() != null ? ss.n() : bindingSize(d, 1);
        if (ss.matrixVar() != null && ss.matrix() == null) {
            problems.error(argument(d, "matrix_var"), IssueCodes.MISSING_ARGUMENT, "matrix_var names a variable of the matrix file: give matrix=\"A.mat\" too");
        }
        if (ss.yTest() != null && ss.xTest() == null) {
            problems.error(argument(d, "y_test"), IssueCodes.MISSING_ARGUMENT, "y_test holds the measurements of x_test's codes: give x_test=\"x_test.npy\" too");
        }
        if (ss.matrix() != null) {
            DataFiles.check(argument(d, "matrix"), ss.matrix(), ss.matrixVar(), "the measurement matrix A", new int[] {m, n}, problems);
        }
        if (ss.xTest() != null) {
            if (ss.xTest().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
                int[] x = DataFiles.check(argument(d, "x_test"), ss.xTest(), null, "the held-out codes, one row per example", new int[] {-1, n}, problems);
                if (x != null && ss.yTest() != null) {
                    DataFiles.check(argument(d, "y_test"), ss.yTest(), null, "the measurements of the " + x[0] + " held-out codes", new int[] {x[0], m}, problems);
                }
            } else {
                problems.error(argument(d, "x_test"), IssueCodes.BAD_DATA_FILE, ss.xTest() + ": held-out sets are read from numpy .npy files");
            }
        }
    }

    /** The size of the {@code i}-th bound input or label (-1 when unknown: any size then passes). */
    private static int bindingSize(DataItem d, int i) {
        if (d.getBindings().size() <= i) {
            return -1;
        }
        Symbol s = d.getBindings().get(i);
        org.edgenn.dsl.edgeNN.TensorType t = s instanceof Input in ? in.getType() : s instanceof Label l ? l.getType() : null;
        if (t == null || t.getDims().isEmpty()) {
            return -1;
        }
        int size = 1;
        for (int dim : t.getDims()) size *= dim;
        return size;
    }

    /** The value written for argument {@code name} of the data source (the data item when not found). */
    private static org.eclipse.emf.ecore.EObject argument(DataItem d, String name) {
        for (org.edgenn.dsl.edgeNN.AttrArg a : d.getSource().getArgs()) {
            if (a instanceof org.edgenn.dsl.edgeNN.Attribute at && name.equals(at.getName()) && at.getValue() != null) {
                return at.getValue();
            }
        }
        return d;
    }

    private static Integer positive(TrainItem at, org.eclipse.emf.ecore.EStructuralFeature f, int v, String what,
                                    Problems problems) {
        if (v < 1) {
            problems.error(at, f, IssueCodes.BAD_TRAINING, what + " must be at least 1"
                    + (at instanceof EpochsItem ? " (0 only after a curriculum, which then does all the training)" : ""));
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
