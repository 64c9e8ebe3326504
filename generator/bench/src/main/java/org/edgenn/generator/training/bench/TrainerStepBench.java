package org.edgenn.generator.training.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.training.GeneratedTrainer;
import org.edgenn.generator.training.InMemoryCompiler;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.generator.training.RandomBatches;
import org.edgenn.generator.training.TrainerGenerator;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.train.loop.Progress;

/**
 * Step time of every example's <b>generated</b> trainer: the {@code .edgenn} file is lowered, its trainer generated,
 * compiled in memory and run through its own {@code train(out, progress)} (float epochs, Adam, the train block's
 * batch) on random data of the network's shapes; the time between two progress callbacks is one optimizer step.
 * Warm-up steps (gradient graph, JIT) are not timed. Prints one line per example and, with {@code -Dout=FILE}, JSON
 * lines that {@code train_step_peer.py --compare} reads next to PyTorch's.
 * <pre>java -cp ... org.edgenn.generator.training.bench.TrainerStepBench [-Dsteps=10] [-Dwarmup=2] [-Donly=Lista,CscDenoiser]</pre>
 */
public final class TrainerStepBench {
    /** Example file, network, batch (the train block's; UnrolledGradient has none: the generated default). */
    static final String[][] EXAMPLES = {
        {"lista/lista.edgenn", "Lista"},
        {"denoise/csc_denoiser.edgenn", "CscDenoiser"},
        {"denoise/unrolled_gradient.edgenn", "UnrolledGradient"},
        {"fmnist/fashion_cnn.edgenn", "FashionCnn"},
        {"fmnist/fashion_cnn.edgenn", "FashionTiny"},
        {"sr/espcn.edgenn", "Espcn"},
    };

    private TrainerStepBench() {
    }

    /** Median wall and process-CPU milliseconds per step of one example. */
    public record Result(String network, int batch, int steps, double wallMs, double cpuMs) {
        String json() {
            return String.format(Locale.ROOT, "{\"side\": \"edgenn\", \"network\": \"%s\", \"batch\": %d, \"steps\": %d, \"ms_per_step\": %.2f, \"cpu_ms_per_step\": %.2f}",
                    network, batch, steps, wallMs, cpuMs);
        }
    }

    public static void main(String[] args) throws Exception {
        int steps = Integer.getInteger("steps", 10), warmup = Integer.getInteger("warmup", 2);
        String only = System.getProperty("only", "");
        Path work = Files.createTempDirectory("trainer-step-bench");
        System.out.printf(Locale.ROOT, "generated trainers, %d timed steps after %d warm-up steps; load %.2f; OMP_NUM_THREADS=%s%n", steps, warmup,
                load(), System.getenv("OMP_NUM_THREADS"));
        List<String> json = new ArrayList<>();
        for (String[] e : EXAMPLES) {
            if (!only.isEmpty() && !Arrays.asList(only.split(",")).contains(e[1])) {
                continue;
            }
            Result r;
            try {
                r = run(e[0], e[1], steps, warmup, work.resolve(e[1]));
            } catch (Exception ex) {
                Throwable cause = ex instanceof java.lang.reflect.InvocationTargetException && ex.getCause() != null ? ex.getCause() : ex;
                System.out.printf(Locale.ROOT, "%-16s FAILED: %s%n", e[1], cause);
                continue;
            }
            System.out.printf(Locale.ROOT, "%-16s batch %4d: %9.1f ms/step wall, %9.1f ms/step process CPU (load %.2f)%n", r.network(), r.batch(),
                    r.wallMs(), r.cpuMs(), load());
            json.add(r.json());
        }
        String out = System.getProperty("out");
        if (out != null) {
            Files.write(Path.of(out), json);
        }
    }

    /** Generates, compiles and runs one example's trainer for {@code warmup + steps} steps. */
    public static Result run(String file, String network, int steps, int warmup, Path out) throws Exception {
        Program p = LoweredExamples.program(file);
        Network net = p.network(network).orElseThrow();
        GeneratedTrainer g = TrainerGenerator.generate(net, p.training(network).orElse(null), n -> p.network(n).orElse(null));
        Class<?> c = InMemoryCompiler.compile(new EclipseCompiler(), List.of(g), TrainerStepBench.class.getClassLoader(), out.resolve("src"))
                .load(g.qualifiedName());
        Object t = c.getConstructor().newInstance();
        int batch = c.getField("batch").getInt(t);
        c.getField("epochs").set(t, 1);
        c.getField("trainData").set(t, RandomBatches.of(net, (warmup + steps) * batch, batch, 1));
        c.getField("heldOutData").set(t, RandomBatches.of(net, batch, batch, 2));
        c.getField("teacherDir").set(t, out);
        double[] wall = new double[warmup + steps], cpu = new double[warmup + steps];
        Progress.Listener timer = new Progress.Listener() {
            private long w0 = System.nanoTime(), c0 = cpuNanos();

            @Override
            public void onBatch(Progress pr) {
                long w = System.nanoTime(), cp = cpuNanos();
                wall[pr.batch() - 1] = (w - w0) / 1e6;
                cpu[pr.batch() - 1] = (cp - c0) / 1e6;
                w0 = w;
                c0 = cp;
            }
        };
        c.getMethod("train", Path.class, Progress.Listener.class).invoke(t, out, timer);
        return new Result(network, batch, steps, median(Arrays.copyOfRange(wall, warmup, wall.length)),
                median(Arrays.copyOfRange(cpu, warmup, cpu.length)));
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
