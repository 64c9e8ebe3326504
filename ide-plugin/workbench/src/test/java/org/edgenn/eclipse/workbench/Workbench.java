package org.edgenn.eclipse.workbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What launching the workbench needs from the machine: a JDK 21 or later (the platform's jars are Java 21 class
 * files, the build itself runs on 17) and an X server (Debian's Xvfb), and the launch itself.
 */
final class Workbench {

    private Workbench() {
    }

    /**
     * A JDK whose major version is at least 21: {@code EDGENN_ECLIPSE_JAVA_HOME}, else the running JDK when it is
     * recent enough, else the newest under /usr/lib/jvm (where Debian's packages and Temurin's put theirs).
     */
    static Optional<Path> java21() throws IOException {
        String env = System.getenv("EDGENN_ECLIPSE_JAVA_HOME");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env, "bin", "java"));
        }
        if (Runtime.version().feature() >= 21) {
            return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        Path jvm = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvm)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvm)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && major(h) >= 21)
                    .max(Comparator.comparingInt(Workbench::major)).map(h -> h.resolve("bin/java"));
        }
    }

    /** The major version in a JDK's {@code release} file ({@code JAVA_VERSION="25.0.1"}), or 0. */
    static int major(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    static Optional<Path> xvfb() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "Xvfb");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** An Xvfb server on the first free display number from 91 on; its display name is {@link #display}. */
    static final class X implements AutoCloseable {
        final String display;
        private final Process process;

        X(Path xvfb, Path log) throws Exception {
            int n = 91;
            while (Files.exists(Path.of("/tmp/.X11-unix/X" + n)) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                n++;
            }
            display = ":" + n;
            process = new ProcessBuilder(xvfb.toString(), display, "-screen", "0", "1280x900x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long end = System.currentTimeMillis() + 20_000;
            while (!Files.exists(Path.of("/tmp/.X11-unix/X" + n))) {
                if (!process.isAlive() || System.currentTimeMillis() > end) {
                    throw new IllegalStateException("Xvfb did not start on " + display + ": " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Starts the assembled Eclipse on the display and waits for it to exit (the UI test closes it), at most
     * {@code timeoutSeconds}; returns the exit code, or -1 when it had to be killed.
     */
    static int run(Path java, Path launcher, Path home, Path workspace, String display, List<String> properties,
                   Path log, int timeoutSeconds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx1g"));
        cmd.addAll(properties);
        cmd.addAll(List.of("-jar", launcher.toString(), "-install", home.toString(),
                "-configuration", home.resolve("configuration").toString(), "-data", workspace.toString(),
                "-nosplash", "-consoleLog"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DISPLAY", display);
        pb.environment().put("GDK_BACKEND", "x11");
        pb.environment().put("NO_AT_BRIDGE", "1"); // no accessibility bus on a bare X server
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            // a thread dump into the log (SIGQUIT: the JVM prints every thread's stack to its stdout) says where it hung
            new ProcessBuilder("kill", "-3", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
            Thread.sleep(3000);
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return -1;
        }
        return p.exitValue();
    }
}
