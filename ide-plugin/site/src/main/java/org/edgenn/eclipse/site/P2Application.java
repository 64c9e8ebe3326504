package org.edgenn.eclipse.site;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of Equinox p2's applications (the publisher, the director) the way Eclipse's build and its users run them
 * headless, {@code -application <id> ...}, in a forked JVM: Equinox is started by its own main class
 * (EclipseStarter, in org.eclipse.osgi) on an installation laid out by {@link EclipseAssembly}. No launcher jar is
 * needed, so this runs on the JDK 17 of the build (the 4.39 launcher jar is a Java 21 class file).
 */
public final class P2Application {

    /**
     * What the p2 runtime starts: the configurator, Declarative Services (p2's agent services are components), and the
     * framework admin bundles, whose services (components of lazily activated bundles) nothing else would activate.
     */
    static final Map<String, Integer> STARTED = Map.of(
            "org.eclipse.equinox.simpleconfigurator", 1,
            "org.eclipse.equinox.common", 2,
            "org.apache.felix.scr", 2,
            "org.eclipse.core.runtime", 4,
            "org.eclipse.equinox.frameworkadmin.equinox", 4,
            "org.eclipse.equinox.simpleconfigurator.manipulator", 4);

    private P2Application() {
    }

    /**
     * The forked JVM's entry point, {@code FRAMEWORK_JAR ARGS...}: Equinox runs the application given by
     * {@code -application}, then the JVM exits with its exit code (1 when it failed without one). EclipseStarter's own
     * main would leave the JVM running after an application error (p2's threads are not daemons). The framework is
     * loaded by a class loader that can take framework extensions, as the launcher's does: the resolver state
     * fragment (PlatformAdmin, which p2's framework admin requires) is one.
     */
    public static void main(String[] args) {
        int code = 1;
        try (FrameworkLoader loader = new FrameworkLoader(new URL[] {Path.of(args[0]).toUri().toURL()})) {
            Thread.currentThread().setContextClassLoader(loader);
            Method run = loader.loadClass("org.eclipse.core.runtime.adaptor.EclipseStarter")
                    .getMethod("run", String[].class, Runnable.class);
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            Object result = run.invoke(null, rest, null);
            code = result instanceof Integer ? (Integer) result : 1;
        } catch (Throwable t) {
            t.printStackTrace();
        }
        System.exit(code);
    }

    /** A URLClassLoader whose addURL is public: Equinox adds framework extension fragments through it. */
    private static final class FrameworkLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        FrameworkLoader(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        public void addURL(URL url) {
            super.addURL(url);
        }
    }

    /** Lays out the p2 runtime (the bundles of {@code p2Dir}) in {@code home}. */
    public static EclipseAssembly.Installation runtime(Path p2Dir, Path home) throws Exception {
        return EclipseAssembly.assemble(List.of(p2Dir), List.of(), home, STARTED, Map.of());
    }

    /**
     * Runs {@code application} with {@code args} on the installation with the given java, waits at most
     * {@code timeoutSeconds}, writes the output to {@code log} and fails with its end when the exit code is not 0.
     */
    public static void run(Path java, EclipseAssembly.Installation install, String application, List<String> args,
                           Path log, int timeoutSeconds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx768m",
                // EclipseStarter's main keeps the framework running after the application unless told otherwise
                "-Dosgi.noShutdown=false",
                // p2's bundles use javax.xml and org.xml.sax without importing them, as Eclipse's launcher allows
                "-Dosgi.compatibility.bootdelegation=true",
                // as URLs ending in '/' (what the launcher passes): simpleconfigurator resolves bundles.info's relative
                // paths against the install area, and with `-install DIR` it found none of them
                "-Dosgi.install.area=" + install.home().toAbsolutePath().toUri(),
                "-Dosgi.configuration.area=" + install.home().resolve("configuration").toAbsolutePath().toUri(),
                "-cp", codeSource(), P2Application.class.getName(), install.bundle("org.eclipse.osgi").toString(),
                "-consoleLog", "-application", application));
        cmd.addAll(args);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(application + " did not finish in " + timeoutSeconds + " s:\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(application + " exited with " + p.exitValue() + ":\n" + tail(log));
        }
    }

    /** Where this class was loaded from (the module's jar or classes folder): the forked JVM runs its main. */
    private static String codeSource() throws Exception {
        return Path.of(P2Application.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** The last 60 lines of a log. */
    public static String tail(Path log) throws Exception {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
