package org.edgenn.eclipse.workbench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.edgenn.eclipse.site.EclipseAssembly;
import org.edgenn.eclipse.site.P2Application;

/**
 * A stock Eclipse IDE without EdgeNN, managed by p2 as the Eclipse packages are, and the installation of EdgeNN into
 * it from the update site as a user does it.
 *
 * <p>The platform (the pinned Maven Central bundles, Equinox p2 included, and the UI test bundle that drives the
 * workbench) is laid out once, published as one installable unit with p2's InstallPublisher (the root IU with the
 * configuration units for start levels and config.ini), and provisioned by p2's director into an empty folder: the
 * result has a p2 profile ({@value #PROFILE}), so p2 can install into it, which a folder laid out by hand could not
 * offer (the director plans against the profile: the EdgeNN bundles' requirements on the platform must be met there).
 */
final class StockEclipse {

    static final String PROFILE = "SDKProfile";
    static final String ROOT = "org.edgenn.stock.platform";

    private StockEclipse() {
    }

    /**
     * Provisions the stock Eclipse into {@code home} (replacing it) with p2 run on {@code java21} (p2 plans against the
     * running JVM's execution environment, and the platform's bundles require Java 21); {@code work} holds the
     * intermediate layout, its repository and the logs.
     */
    static void provision(Path java, Path platform, Path p2, Path uitest, Path home, Path work) throws Exception {
        EclipseAssembly.delete(work);
        EclipseAssembly.delete(home);
        Path layout = work.resolve("layout");
        EclipseAssembly.assemble(List.of(platform, p2), List.of(uitest), layout, EclipseAssembly.IDE_STARTED,
                EclipseAssembly.IDE_PROPERTIES);
        EclipseAssembly.Installation tools = P2Application.runtime(p2, work.resolve("p2-runtime"));
        String repo = work.resolve("repository").toUri().toString();
        P2Application.run(java, tools, "org.eclipse.equinox.p2.publisher.InstallPublisher", List.of(
                "-source", layout.toString(), "-metadataRepository", repo, "-artifactRepository", repo,
                "-id", ROOT, "-version", "4.39.0", "-flavor", "tooling", "-name", "Eclipse Platform 4.39 (Maven Central)", "-publishArtifacts"),
                work.resolve("install-publisher.log"), 300);
        P2Application.run(java, tools, "org.eclipse.equinox.p2.director", List.of(
                "-repository", repo, "-installIU", ROOT, "-destination", home.toString(), "-profile", PROFILE,
                "-bundlepool", home.toString(), "-roaming", "-profileProperties", "org.eclipse.update.install.features=true",
                "-p2.os", "linux", "-p2.ws", "gtk", "-p2.arch", "x86_64"),
                work.resolve("director-platform.log"), 300);
    }

    /**
     * Installs {@code iu} from the repository at {@code site} with the stock Eclipse's own p2 director application
     * ({@code eclipse -application org.eclipse.equinox.p2.director -repository ... -installIU ...}, into the running
     * installation's profile), on a JDK 21+.
     */
    static void install(Path java21, Path home, Path site, String iu, Path log) throws Exception {
        Path launcher = launcher(home);
        List<String> cmd = List.of(java21.toString(), "-Xmx768m", "-jar", launcher.toString(),
                "-install", home.toString(), "-configuration", home.resolve("configuration").toString(),
                "-nosplash", "-consoleLog", "-application", "org.eclipse.equinox.p2.director",
                "-repository", site.toUri().toString(), "-installIU", iu);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the director did not finish in 300 s:\n" + P2Application.tail(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the director exited with " + p.exitValue() + ":\n" + P2Application.tail(log));
        }
    }

    /** The Equinox launcher jar of an installation. */
    static Path launcher(Path home) throws Exception {
        try (Stream<Path> s = Files.list(home.resolve("plugins"))) {
            Optional<Path> l = s.filter(p -> p.getFileName().toString().startsWith("org.eclipse.equinox.launcher_")
                    && p.toString().endsWith(".jar")).findFirst();
            return l.orElseThrow(() -> new IllegalStateException("no Equinox launcher in " + home));
        }
    }

    /** The symbolic names in the installation's bundles.info (what the configurator installs at launch). */
    static List<String> bundles(Path home) throws Exception {
        Path info = home.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info");
        return Files.readAllLines(info).stream().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split(",")[0]).sorted().toList();
    }

    /** The newest state of the installation's p2 profile ({@value #PROFILE}), as XML. */
    static String profile(Path home) throws Exception {
        Path dir = home.resolve("p2/org.eclipse.equinox.p2.engine/profileRegistry/" + PROFILE + ".profile");
        Path newest;
        try (Stream<Path> s = Files.list(dir)) {
            newest = s.filter(f -> f.toString().endsWith(".profile.gz") || f.toString().endsWith(".profile"))
                    .max(java.util.Comparator.comparing(f -> f.getFileName().toString()))
                    .orElseThrow(() -> new IllegalStateException("no profile in " + dir));
        }
        try (var in = newest.toString().endsWith(".gz")
                ? new java.util.zip.GZIPInputStream(Files.newInputStream(newest)) : Files.newInputStream(newest)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The config.ini properties of the installation. */
    static Map<String, String> configIni(Path home) throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(home.resolve("configuration/config.ini"))) {
            p.load(in);
        }
        Map<String, String> m = new java.util.TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
