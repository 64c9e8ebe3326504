package org.edgenn.explore.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.edgenn.explore.Engine;

/**
 * {@code edgenn explore --engine spark [--master URL]}, found by {@link java.util.ServiceLoader} when this module is
 * on the class path (the launcher adds it only for {@code --engine spark}). Without {@code --master} Spark runs
 * embedded on {@code local[THREADS]}. The jars shipped to a cluster's executors are those of the system property
 * {@value #JARS} (path-separated; {@code DIR/*} means every jar in DIR), else this JVM's class path.
 */
public final class SparkEngineProvider implements Engine.Provider {
    /** The application's class path as the launcher gives it: what a cluster's executors need. */
    public static final String JARS = "edgenn.spark.jars";

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Engine create(String master, int threads) {
        String url = master == null ? "local[" + threads + "]" : master;
        return new SparkEngine(url, classPath(System.getProperty(JARS, System.getProperty("java.class.path", ""))));
    }

    /** A class path as paths, {@code DIR/*} expanded to the jars of DIR (as the {@code java} launcher does). */
    static List<Path> classPath(String spec) {
        List<Path> out = new ArrayList<>();
        for (String entry : spec.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (entry.endsWith(File.separator + "*")) {
                Path dir = Path.of(entry.substring(0, entry.length() - 2));
                try (Stream<Path> jars = Files.list(dir)) {
                    jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + dir + " (from " + JARS + ")", e);
                }
            } else {
                out.add(Path.of(entry));
            }
        }
        return out;
    }
}
