package org.edgenn.eclipse.workbench;

import aQute.bnd.osgi.Analyzer;
import aQute.bnd.osgi.Jar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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
 * moved). Its bundles are the pinned platform jars from Maven Central, the EdgeNN dropins and any extra bundle (the UI
 * test). The platform's few plain jars (Batik's CSS engine, the SAC API) are wrapped with bnd under the names the
 * platform requires them by, as Eclipse's Orbit repository does.
 */
final class EclipseAssembly {

    /** Bundles started at launch, with their start level; every other bundle starts lazily or on demand (level 4). */
    private static final Map<String, Integer> STARTED = Map.of(
            "org.eclipse.equinox.simpleconfigurator", 1,
            "org.eclipse.equinox.common", 2,
            "org.apache.felix.scr", 2,
            "org.eclipse.equinox.event", 2,
            "org.apache.aries.spifly.dynamic.bundle", 2,
            "org.eclipse.core.runtime", 4);

    private record Bundle(String name, String version, Path file, boolean singleton) {
    }

    private EclipseAssembly() {
    }

    /** {@code EclipseAssembly PLATFORM_DIR DROPINS_DIR HOME [EXTRA_BUNDLE...]}: the same assembly by hand. */
    public static void main(String[] args) throws Exception {
        List<Path> extra = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            extra.add(Path.of(args[i]));
        }
        System.out.println(assemble(Path.of(args[0]), Path.of(args[1]), extra, Path.of(args[2])));
    }

    /** Assembles the installation into {@code home} (replacing it) and returns the launcher jar. */
    static Path assemble(Path platform, Path dropins, List<Path> extra, Path home) throws Exception {
        if (Files.exists(home)) {
            try (Stream<Path> s = Files.walk(home)) {
                s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        List<Path> jars = new ArrayList<>();
        List<Path> batik = new ArrayList<>();
        for (Path dir : List.of(platform, dropins)) {
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
        writeConfiguration(home, bundles);
        return bundles.values().stream().filter(b -> b.name().equals("org.eclipse.equinox.launcher"))
                .map(Bundle::file).findFirst().orElseThrow(() -> new IllegalStateException("no equinox launcher"));
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

    private static void writeConfiguration(Path home, Map<String, Bundle> bundles) throws IOException {
        StringBuilder info = new StringBuilder("#version=1\n");
        for (Bundle b : bundles.values()) {
            Integer level = STARTED.get(b.name());
            info.append(b.name()).append(',').append(b.version()).append(",plugins/").append(b.file().getFileName())
                    .append(',').append(level == null ? 4 : level).append(',').append(level != null).append('\n');
        }
        Path sc = Files.createDirectories(home.resolve("configuration/org.eclipse.equinox.simpleconfigurator"));
        Files.writeString(sc.resolve("bundles.info"), info);
        Bundle configurator = bundles.values().stream()
                .filter(b -> b.name().equals("org.eclipse.equinox.simpleconfigurator")).findFirst().orElseThrow();
        Files.writeString(home.resolve("configuration/config.ini"), String.join("\n",
                "osgi.bundles=reference\\:file\\:" + configurator.file().getFileName() + "@1\\:start",
                "org.eclipse.equinox.simpleconfigurator.configUrl=file\\:org.eclipse.equinox.simpleconfigurator/bundles.info",
                "osgi.bundles.defaultStartLevel=4",
                "eclipse.application=org.eclipse.ui.ide.workbench",
                "eclipse.product=org.eclipse.platform.ide",
                "osgi.instance.area.default=@user.home/edgenn-workspace",
                ""));
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
