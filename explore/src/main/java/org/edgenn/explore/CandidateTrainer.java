package org.edgenn.explore;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.training.GeneratedTrainer;
import org.edgenn.generator.training.InMemoryCompiler;
import org.edgenn.generator.training.TrainBlock;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.train.loop.Progress;

/**
 * Trains a candidate's network for a fixed number of optimizer steps with the trainer {@code edgenn train} would
 * generate for it (the same generator, compiler and data; one epoch of {@code steps} batches), and returns its
 * held-out task metric. The accelerator does not change training, so a network binding is trained once per JVM and
 * shared by every accelerator it is paired with.
 */
final class CandidateTrainer {
    /** ND4J's graph building prints to System.out, and trainers share native memory: one training at a time. */
    private static final Object LOCK = new Object();
    private static final Map<String, Map<String, Double>> TRAINED = new ConcurrentHashMap<>();

    private CandidateTrainer() {
    }

    /**
     * The metrics of the trained network: {@code loss} (the held-out metric, lower is better: NMSE in dB as is,
     * accuracy and PSNR negated), and the metric by its own name (int8 when the trainer reports it, else float).
     *
     * @param key  the network instance (its family and binding) and the file it comes from
     * @param base where the train block's relative data paths resolve (the explore file's directory)
     */
    static Map<String, Double> train(String key, Program program, Network net, int steps, Path base) {
        Map<String, Double> done = TRAINED.get(key);
        if (done != null) {
            return done;
        }
        synchronized (LOCK) {
            return TRAINED.computeIfAbsent(key, k -> run(program, net, steps, base, p -> { }));
        }
    }

    /**
     * One rung of successive halving: the network trained to {@code steps} optimizer steps, continuing from the checkpoint
     * {@code from} (null: from scratch) and saving its state to {@code to}. Every rung is a part of one training to
     * {@code maxSteps} (the largest rung): the trainer is set up for that budget (its epoch, the schedule that spans it,
     * the batches a curriculum draws) and interrupted after {@code steps}, so that a network trained rung by rung ends
     * where one training to its last rung's budget ends. A curriculum (several fits before the joint one) runs in the
     * network's first rung only; the later rungs continue the joint training from the saved weights and Adam's
     * moments ({@code Checkpoint}). Not cached here: the rung store is the cache.
     */
    static Map<String, Double> trainRung(Program program, Network net, int steps, int maxSteps, Path base, Path from, Path to) {
        if (steps < 1 || steps > maxSteps) {
            throw new IllegalArgumentException("a rung of " + steps + " steps outside 1.." + maxSteps);
        }
        synchronized (LOCK) {
            try {
                long[] curriculumSteps = {0};
                Progress.Listener stages = new Progress.Listener() {
                    @Override public void onBatch(Progress p) {
                    }

                    @Override public void onStageEnd(Progress.StageRecord r) {
                        curriculumSteps[0] += r.steps();
                    }
                };
                Map<String, Double> m = new LinkedHashMap<>(org.edgenn.train.loop.Checkpoint.around(from, to, steps,
                        () -> run(program, net, maxSteps, base, stages)));
                m.put("curriculum_steps", (double) curriculumSteps[0]);   // what this rung spent before the joint steps
                return Map.copyOf(m);
            } catch (TrainingException e) {
                throw e;
            } catch (Exception e) {
                throw new TrainingException("training " + net.name() + " failed: " + e);
            }
        }
    }

    /** Trains {@code net} for one epoch of {@code steps} batches (a checkpoint around the call may stop it sooner). */
    private static Map<String, Double> run(Program program, Network net, int steps, Path base, Progress.Listener listener) {
        if (net.loss() == null) {
            throw new TrainingException("network " + net.name() + " declares no loss: nothing to train");
        }
        if (TrainBlock.of(program, net).spec() == null) {
            throw new TrainingException("network " + net.name() + " has no train block");
        }
        Path dir = null;
        PrintStream stdout = System.out;
        try {
            dir = Files.createTempDirectory("edgenn-explore-train-");
            GeneratedTrainer generated = TrainBlock.generate(program, net);
            InMemoryCompiler.Result compiled = InMemoryCompiler.compile(new EclipseCompiler(), List.of(generated),
                    CandidateTrainer.class.getClassLoader(), dir.resolve("src"));
            Object trainer = compiled.load(generated.qualifiedName()).getConstructor().newInstance();
            Class<?> c = trainer.getClass();
            c.getField("epochs").set(trainer, 1);
            c.getField("batchesPerEpoch").set(trainer, steps);
            c.getField("dataDir").set(trainer, base);
            System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
            c.getMethod("openData").invoke(trainer);
            c.getMethod("checkData").invoke(trainer);
            @SuppressWarnings("unchecked")
            Map<String, Double> m = (Map<String, Double>) c.getMethod("train", Path.class, Progress.Listener.class)
                    .invoke(trainer, dir, listener);
            String metric = (String) c.getField("METRIC").get(null);
            Double value = m.containsKey("int8." + metric) ? m.get("int8." + metric) : m.get("float." + metric);
            if (value == null || !Double.isFinite(value)) {
                throw new TrainingException("training " + net.name() + " gave no held-out " + metric);
            }
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("loss", metric.startsWith("nmse") || metric.startsWith("mse") ? value : -value);
            out.put(metric, value);
            return Map.copyOf(out);
        } catch (InvocationTargetException e) {
            throw new TrainingException("training " + net.name() + " failed: " + e.getCause().getMessage());
        } catch (InMemoryCompiler.CompilationException e) {
            throw new TrainingException("the generated trainer of " + net.name() + " does not compile: " + e.errors());
        } catch (ReflectiveOperationException | IOException e) {
            throw new TrainingException("training " + net.name() + " failed: " + e);
        } finally {
            System.setOut(stdout);
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not a result of the exploration
        }
    }

    /** Why a candidate could not be trained: recorded as its problem (the candidate is infeasible), never thrown on. */
    static final class TrainingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TrainingException(String message) {
            super(message);
        }
    }
}
