package org.edgenn.explore.spark;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.edgenn.explore.Candidate;
import org.edgenn.explore.Engine;
import org.edgenn.explore.Evaluator;
import org.edgenn.explore.Evaluators;
import org.edgenn.explore.Result;

/**
 * Evaluates candidates on Apache Spark: each batch becomes one job whose tasks run the same {@link Evaluator} as
 * the in-process engine, one per executor thread, so the results are those of a run on threads. {@code local[N]}
 * runs an embedded Spark in this JVM; {@code spark://HOST:PORT} a standalone cluster, whose executors receive
 * EdgeNN's jars from this driver ({@code spark.jars}) and need only Spark itself installed.
 *
 * <p>Every {@code spark.*} system property of this JVM reaches the Spark configuration (for example
 * {@code -Dspark.driver.host=} when the cluster must reach the driver at another address, or
 * {@code -Dspark.executor.memory=}).
 */
public final class SparkEngine implements Engine {
    private final JavaSparkContext sc;
    private final String master;
    private final int parallelism;

    /**
     * @param master a Spark master URL: {@code local[N]} or {@code spark://HOST:PORT} (or any other Spark accepts)
     * @param jars   what the executors of a cluster need on their class path (jars or class directories, which are
     *               packed into jars); unused in local mode, where the executors share this JVM's class path
     */
    public SparkEngine(String master, List<Path> jars) {
        this.master = master;
        SparkConf conf = new SparkConf(true).setMaster(master).setAppName("edgenn explore")
                .setIfMissing("spark.ui.enabled", "false");
        if (!master.startsWith("local")) {
            conf.setJars(shippable(jars).toArray(new String[0]));
        }
        this.sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        this.parallelism = Math.max(1, sc.defaultParallelism());
    }

    @Override
    public List<Result> evaluate(Job job, List<Candidate> batch, Evaluator.Stage stage) {
        if (batch.isEmpty()) {
            return List.of();
        }
        List<Candidate> copy = new ArrayList<>(batch);
        // collect() keeps the order of the partitions and of the elements in each: one result per candidate, in order
        return sc.parallelize(copy, Math.min(copy.size(), parallelism)).map(new Evaluate(job, stage)).collect();
    }

    /** A job costs tens of milliseconds to schedule: a few candidates per task, one task per core at a time. */
    @Override
    public int batchSize() {
        return Math.max(16, 4 * parallelism);
    }

    @Override
    public String describe() {
        return "spark " + master + " (" + parallelism + " task slot" + (parallelism == 1 ? "" : "s") + ")";
    }

    @Override
    public void close() {
        sc.stop();
    }

    /** The task: evaluates one candidate with the evaluator of its executor thread for this job. */
    static final class Evaluate implements Function<Candidate, Result> {
        private static final long serialVersionUID = 1L;
        // an Evaluator holds EMF models, which are not shared between threads: one per executor thread and job
        private static final ThreadLocal<Map<Job, Evaluator>> EVALUATORS = ThreadLocal.withInitial(HashMap::new);
        private final Job job;
        private final Evaluator.Stage stage;

        Evaluate(Job job, Evaluator.Stage stage) {
            this.job = job;
            this.stage = stage;
        }

        @Override
        public Result call(Candidate c) {
            return EVALUATORS.get().computeIfAbsent(job, Evaluators::create).evaluate(c, stage);
        }
    }

    /** Jars as they are; class directories (a development build) packed into temporary jars, as Spark ships files. */
    static List<String> shippable(List<Path> entries) {
        List<String> out = new ArrayList<>();
        for (Path p : entries) {
            if (Files.isDirectory(p)) {
                out.add(packed(p).toString());
            } else if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar")) {
                out.add(p.toAbsolutePath().toString());
            }
        }
        return out;
    }

    private static Path packed(Path dir) {
        try {
            Path jar = Files.createTempFile("edgenn-spark-", ".jar");
            jar.toFile().deleteOnExit();
            try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os);
                 Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + dir + " into a jar for the Spark executors", e);
        }
    }
}
