package org.edgenn.explore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.edgenn.cli.EdgeNN;
import org.edgenn.explore.Engine;
import org.edgenn.explore.Explorer;
import org.edgenn.explore.InProcessEngine;
import org.edgenn.explore.SmallSpace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The spark engine gives the in-process run's results for the same seed: embedded ({@code local[2]}), through the
 * command line (which finds the engine by ServiceLoader), and on a real standalone cluster: a Spark master and a
 * worker started here as separate JVMs from Spark's jars, whose executor receives EdgeNN's classes from the driver
 * (spark.jars) as an existing cluster would. The reference is the in-process engine on threads.
 */
class SparkEngineTest {
    private static final String SPACE = SmallSpace.text("nsga2(population=12, generations=4, seed=11)");

    @TempDir
    static Path dir;
    private static Path file;
    private static Explorer.Outcome reference;

    @BeforeAll
    static void exploreOnThreads() throws Exception {
        file = dir.resolve("small.edgenn");
        Files.writeString(file, SPACE);
        try (Engine engine = new InProcessEngine(2)) {
            reference = run(engine, dir.resolve("threads"));
        }
        assertTrue(reference.screened().stream().anyMatch(r -> !r.feasible()), "the space has infeasible candidates too");
        assertTrue(reference.screened().stream().filter(org.edgenn.explore.Result::feasible).count() >= 2, "feasible designs too");
    }

    private static Explorer.Outcome run(Engine engine, Path out) throws IOException {
        return Explorer.run(new Explorer.Options(file, Files.readString(file), null, out, false, engine,
                new PrintWriter(new StringWriter())));
    }

    /** Every candidate in the same order with the same metrics, diagnostics and text; the same fronts. */
    private static void assertSameAsThreads(Explorer.Outcome o) {
        assertEquals(reference.screened(), o.screened());
        assertEquals(reference.screeningFront(), o.screeningFront());
        assertEquals(reference.front(), o.front());
    }

    @Test
    void embeddedSparkGivesTheThreadsResults() throws Exception {
        try (Engine engine = new SparkEngine("local[2]", List.of())) {
            assertTrue(engine.describe().startsWith("spark local[2]"), engine.describe());
            assertSameAsThreads(run(engine, dir.resolve("local")));
        }
    }

    @Test
    void theCommandLineFindsTheSparkEngine() throws Exception {
        Path out = dir.resolve("cli");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cl = EdgeNN.commandLine();
        cl.setOut(new PrintWriter(stdout));
        cl.setErr(new PrintWriter(stderr));
        int exit = cl.execute("explore", file.toString(), "--out", out.toString(), "--engine", "spark", "--master", "local[2]");
        assertEquals(EdgeNN.OK, exit, stderr.toString());
        assertTrue(stdout.toString().contains("on spark local[2]"), stdout.toString());
        assertEquals(Files.readAllLines(dir.resolve("threads").resolve("explore.csv")), Files.readAllLines(out.resolve("explore.csv")));
    }

    @Test
    void aStandaloneClusterGivesTheThreadsResults() throws Exception {
        // a Spark installation as the launcher scripts expect it: SPARK_HOME/jars holds Spark and the libraries;
        // EdgeNN's own classes (module jars and class directories) are not there: the driver ships them
        Path home = dir.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        List<Path> edgenn = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (Files.isDirectory(p) || name.startsWith("edgenn-")) {
                edgenn.add(p);
            } else if (name.endsWith(".jar") && Files.notExists(home.resolve("jars").resolve(name))) {
                Files.createSymbolicLink(home.resolve("jars").resolve(name), p.toAbsolutePath());
            }
        }
        int port = freePort();
        String url = "spark://127.0.0.1:" + port;
        Process master = null;
        Process worker = null;
        String host = System.getProperty("spark.driver.host");
        try {
            master = daemon(home, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "" + port,
                    "--webui-port", "0");
            awaitLog(master, dir.resolve("master.log"), "I have been elected leader");
            worker = daemon(home, "worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--webui-port", "0",
                    "--cores", "2", "--memory", "1536m", "--work-dir", dir.resolve("work").toString(), url);
            awaitLog(worker, dir.resolve("worker.log"), "Successfully registered with master");
            System.setProperty("spark.driver.host", "127.0.0.1");
            try (Engine engine = new SparkEngine(url, edgenn)) {
                assertTrue(engine.describe().startsWith("spark " + url), engine.describe());
                assertSameAsThreads(run(engine, dir.resolve("cluster")));
            }
            assertTrue(Files.readString(dir.resolve("worker.log")).contains("Asked to launch executor"),
                    "the candidates ran in an executor of the worker, not in this JVM");
        } finally {
            if (host == null) {
                System.clearProperty("spark.driver.host");
            } else {
                System.setProperty("spark.driver.host", host);
            }
            stop(worker);
            stop(master);
        }
    }

    /** A Spark daemon in its own JVM, as sbin/start-master.sh and start-worker.sh run them (without the scripts). */
    private static Process daemon(Path home, String log, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(System.getProperty("spark.jvm.options").trim().split("\\s+")));
        cmd.addAll(List.of("-Xmx512m", "-cp", home.resolve("jars") + File.separator + "*", main));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static void awaitLog(Process p, Path log, String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + line + "' from the Spark daemon:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
