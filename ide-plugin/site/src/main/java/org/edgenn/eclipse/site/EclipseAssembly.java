package org.edgenn.eclipse.site;

import aQute.bnd.osgi.Analyzer;
import aQute.bnd.osgi.Jar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * Lays out a runnable Eclipse installation the way the Eclipse packages do: {@code plugins/<name>_<version>.jar},
 * {@code configuration/config.ini} and simpleconfigurator's {@code bundles.info} (relative paths, so the folder can be
 * moved). Its bundles are jars from Maven Central (the pinned platform, Equinox p2) and any extra bundle (the UI
 * test). The platform's few plain jars (Batik's CSS engine, the SAC API) are wrapped with bnd under the names the
 * platform requires them by, as Eclipse's Orbit repository does. Used for the Eclipse IDE of the workbench test and
 * for the small Equinox that runs p2's applications ({@link P2Application}).
 */
public final class EclipseAssembly {

    /**
     * Bundles an Eclipse IDE starts at launch, with their start level (as the Eclipse packages' bundles.info has them);
     * every other bundle starts lazily or on demand (level 4).
     */
    public static final Map<String, Integer> IDE_STARTED = Map.of(
            "org.eclipse.equinox.simpleconfigurator", 1,
            "org.eclipse.equinox.common", 2,
            "org.apache.felix.scr", 2,
            "org.eclipse.equinox.event", 2,
            "org.apache.aries.spifly.dynamic.bundle", 2,
            "org.eclipse.core.runtime", 4,
            "org.eclipse.equinox.p2.reconciler.dropins", 4);

    /** The framework's resolver state fragment (org.eclipse.osgi's PlatformAdmin). */
    public static final String STATE = "org.eclipse.osgi.compatibility.state";

    /** What an Eclipse IDE's config.ini says besides the configurator: the IDE application and product. */
    public static final Map<String, String> IDE_PROPERTIES = ideProperties();

    /** An installation: its folder and its bundles by symbolic name (the newest version of each). */
    public record Installation(Path home, Map<String, Path> bundles) {
        /** The jar of the bundle, which must be installed. */
        public Path bundle(String name) {
            Path p = bundles.get(name);
            if (p == null) {
                throw new IllegalStateException("no bundle " + name + " in " + home);
            }
            return p;
        }
    }

    private record Bundle(String name, String version, Path file, boolean singleton) {
    }

    private EclipseAssembly() {
    }

    private static Map<String, String> ideProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("eclipse.application", "org.eclipse.ui.ide.workbench");
        m.put("eclipse.product", "org.eclipse.platform.ide");
        m.put("osgi.instance.area.default", "@user.home/edgenn-workspace");
        return m;
    }

    /**
     * Assembles the installation into {@code home} (replacing it) from the jars of {@code dirs} and {@code extra}:
     * {@code started} names the bundles started at launch with their level, {@code properties} go into config.ini.
     */
    public static Installation assemble(List<Path> dirs, List<Path> extra, Path home, Map<String, Integer> started,
                                        Map<String, String> properties) throws Exception {
        delete(home);
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        List<Path> jars = new ArrayList<>();
        List<Path> batik = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
        }
        jars.addAll(extra);
        Map<String, Bundle> bundles = new TreeMap<>();
        for (Path jar : jars) {
            String file = jar.getFileName().toString();
            if (file.startsWith("batik-") || file.startsWith("xmlgraphics-commons-")) {
                batik.add(jar); // one bundle below
                continue;
            }
            Path source = jar;
            if (symbolicName(jar) == null) {
                if (!file.startsWith("xml-apis-ext-")) {
                    throw new IllegalStateException("not a bundle and no wrapping rule: " + jar);
                }
                source = wrap(List.of(jar), "org.w3c.css.sac", "1.3.4", home.resolve("wrapped"));
            }
            add(bundles, source, plugins);
        }
        if (!batik.isEmpty()) {
            // e4's CSS engine requires bundle org.apache.batik.css and uses classes of Batik's util, i18n, constants and
            // xmlgraphics jars through it: one bundle holds them all, so no package is split across bundles
            String version = batik.stream().map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith("batik-css-")).findFirst().orElseThrow()
                    .replaceAll("batik-css-(.*)\\.jar", "$1");
            add(bundles, wrap(batik, "org.apache.batik.css", version, home.resolve("wrapped")), plugins);
        }
        dropOlderSingletons(bundles);
        writeConfiguration(home, bundles, started, properties);
        delete(home.resolve("wrapped")); // copied into plugins/: an installation has no such folder
        Map<String, Path> byName = new TreeMap<>();
        for (Bundle b : bundles.values()) {
            byName.put(b.name(), b.file()); // one version per name is left of singletons; of others the last (newest)
        }
        return new Installation(home, byName);
    }

    /** Deletes a folder and everything in it, if it exists. */
    public static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void add(Map<String, Bundle> bundles, Path jar, Path plugins) throws IOException {
        Manifest m = manifest(jar);
        String name = symbolicName(jar);
        boolean singleton = m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME).replace(" ", "")
                .contains("singleton:=true");
        String version = Version.parseVersion(m.getMainAttributes().getValue(Constants.BUNDLE_VERSION)).toString();
        Path target = plugins.resolve(name + "_" + version + ".jar");
        // the same bundle from the platform and the dropins (jakarta.inject, say) is installed once
        if (bundles.putIfAbsent(name + "_" + version, new Bundle(name, version, target, singleton)) == null) {
            Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Of a singleton bundle in two versions (EMF: the dropins carry the version Xtext was built with, the platform a
     * newer one) only one can resolve; the newer is kept, which satisfies both sides' version ranges.
     */
    private static void dropOlderSingletons(Map<String, Bundle> bundles) throws IOException {
        Map<String, Bundle> newest = new TreeMap<>();
        for (Bundle b : bundles.values()) {
            if (b.singleton()) {
                newest.merge(b.name(), b, (x, y) -> Version.parseVersion(x.version()).compareTo(Version.parseVersion(y.version())) >= 0 ? x : y);
            }
        }
        for (var it = bundles.values().iterator(); it.hasNext(); ) {
            Bundle b = it.next();
            if (b.singleton() && newest.get(b.name()) != b) {
                Files.delete(b.file());
                it.remove();
            }
        }
    }

    private static void writeConfiguration(Path home, Map<String, Bundle> bundles, Map<String, Integer> started,
                                           Map<String, String> properties) throws IOException {
        StringBuilder info = new StringBuilder("#version=1\n");
        for (Bundle b : bundles.values()) {
            Integer level = started.get(b.name());
            info.append(b.name()).append(',').append(b.version()).append(",plugins/").append(b.file().getFileName())
                    .append(',').append(level == null ? 4 : level).append(',').append(level != null).append('\n');
        }
        Path sc = Files.createDirectories(home.resolve("configuration/org.eclipse.equinox.simpleconfigurator"));
        Files.writeString(sc.resolve("bundles.info"), info);
        Bundle configurator = bundles.values().stream()
                .filter(b -> b.name().equals("org.eclipse.equinox.simpleconfigurator")).findFirst().orElseThrow();
        StringBuilder ini = new StringBuilder()
                .append("osgi.bundles=reference\\:file\\:").append(configurator.file().getFileName()).append("@1\\:start\n")
                .append("org.eclipse.equinox.simpleconfigurator.configUrl=file\\:org.eclipse.equinox.simpleconfigurator/bundles.info\n")
                .append("osgi.bundles.defaultStartLevel=4\n");
        // where the framework is: relative entries above are resolved against its folder (the launcher and p2's
        // framework admin read it; the Eclipse packages' config.ini has it too)
        bundles.values().stream().filter(b -> b.name().equals("org.eclipse.osgi")).findFirst().ifPresent(b -> ini
                .append("osgi.framework=file\\:plugins/").append(b.file().getFileName()).append('\n'));
        // the resolver state API (PlatformAdmin, which p2's framework admin needs) is a fragment of the framework that
        // the launcher puts on the framework's class path, as the Eclipse packages' config.ini says
        bundles.values().stream().filter(b -> b.name().equals(STATE)).findFirst().ifPresent(b -> ini
                .append("osgi.framework.extensions=reference\\:file\\:").append(b.file().getFileName()).append('\n'));
        properties.forEach((k, v) -> ini.append(k).append('=').append(v.replace(":", "\\:")).append('\n'));
        Files.writeString(home.resolve("configuration/config.ini"), ini);
    }

    private static Path wrap(List<Path> jars, String name, String version, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path out = dir.resolve(name + "_" + version + ".jar");
        List<Jar> parts = new ArrayList<>(); // open until written: their resources are read lazily
        try (Analyzer a = new Analyzer(); Jar content = new Jar(name)) {
            for (Path jar : jars) {
                Jar j = new Jar(jar.toFile());
                parts.add(j);
                content.addAll(j);
            }
            a.setJar(content);
            a.setProperty(Constants.BUNDLE_SYMBOLICNAME, name);
            a.setProperty(Constants.BUNDLE_VERSION, version);
            a.setProperty(Constants.EXPORT_PACKAGE, "*;version=" + version);
            a.setProperty(Constants.IMPORT_PACKAGE, "*;resolution:=optional");
            content.setManifest(a.calcManifest());
            content.write(out.toFile());
        } finally {
            parts.forEach(Jar::close);
        }
        return out;
    }

    private static Manifest manifest(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            return m == null ? new Manifest() : m;
        }
    }

    /** The bundle's symbolic name without directives, or null for a plain jar. */
    static String symbolicName(Path jar) throws IOException {
        String v = manifest(jar).getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        return v == null ? null : v.split(";")[0].trim();
    }
}
