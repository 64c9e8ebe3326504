package org.edgenn.eclipse.site;

import java.io.IOException;
import java.io.OutputStream;
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
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * The p2 update site of the Eclipse plugin: a feature {@value #FEATURE} that includes the plugin and every bundle of
 * the dropins folder the platform does not already have, published with p2's FeaturesAndBundlesPublisher (content.jar,
 * artifacts.jar, features/, plugins/) and categorized with p2's CategoryPublisher, so that Help > Install New Software
 * lists it under "EdgeNN"; and the same repository as a zip (an archived site).
 */
public final class UpdateSite {

    public static final String FEATURE = "org.edgenn.feature";
    /** The installable unit a user (or the director) installs. */
    public static final String FEATURE_GROUP = FEATURE + ".feature.group";

    /**
     * Bundles every Eclipse IDE has, so the feature requires them instead of including them: EMF (the e4 workbench's
     * model is an EMF model; its bundles are singletons, so a second version would not install beside the platform's)
     * and Aries SPI Fly (the platform's service-loader mediator, started at level 2).
     */
    static boolean platformHasIt(String name) {
        return name.startsWith("org.eclipse.emf.") || name.equals("org.apache.aries.spifly.dynamic.bundle");
    }

    private UpdateSite() {
    }

    /** {@code UpdateSite DROPINS_PLUGINS P2_DIR SITE_DIR WORK_DIR}: publishes the site into SITE_DIR (replacing it). */
    public static void main(String[] args) throws Exception {
        if (!Files.isDirectory(Path.of(args[0]))) {
            // the dropins folder is assembled by ide-plugin's OsgiResolutionIT: a build without tests has none
            System.out.println("[WARNING] no update site published: no dropins folder " + args[0]
                    + " (ide-plugin's integration test assembles it; -DskipTests / -DskipITs skip it)");
            return;
        }
        Path site = publish(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
        System.out.println("p2 update site: " + site + " (and " + site.resolveSibling(site.getFileName() + ".zip") + ")");
    }

    /** Publishes the site and returns its folder. */
    public static Path publish(Path dropins, Path p2Dir, Path site, Path work) throws Exception {
        EclipseAssembly.delete(work);
        EclipseAssembly.delete(site);
        Path plugins = Files.createDirectories(work.resolve("source/plugins"));
        Map<String, String> included = new TreeMap<>(); // symbolic name -> version
        Map<String, String> required = new TreeMap<>();
        try (Stream<Path> s = Files.list(dropins)) {
            for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                Manifest m = manifest(jar);
                String name = EclipseAssembly.symbolicName(jar);
                if (name == null) {
                    throw new IllegalStateException("not a bundle: " + jar);
                }
                String version = Version.parseVersion(m.getMainAttributes().getValue(Constants.BUNDLE_VERSION)).toString();
                if (platformHasIt(name)) {
                    required.put(name, version);
                    continue;
                }
                included.put(name, version);
                Files.copy(jar, plugins.resolve(name + "_" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String version = included.get("org.edgenn.eclipse");
        if (version == null) {
            throw new IllegalStateException("the dropins have no org.edgenn.eclipse bundle: " + dropins);
        }
        Path feature = Files.createDirectories(work.resolve("source/features/" + FEATURE + "_" + version));
        Files.writeString(feature.resolve("feature.xml"), featureXml(version, included, required));
        Path category = work.resolve("category.xml");
        Files.writeString(category, categoryXml(version));

        EclipseAssembly.Installation p2 = P2Application.runtime(p2Dir, work.resolve("p2-runtime"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String repo = site.toUri().toString();
        P2Application.run(java, p2, "org.eclipse.equinox.p2.publisher.FeaturesAndBundlesPublisher", List.of(
                "-metadataRepository", repo, "-artifactRepository", repo,
                "-metadataRepositoryName", "EdgeNN", "-artifactRepositoryName", "EdgeNN",
                "-source", work.resolve("source").toString(), "-publishArtifacts", "-compress"),
                work.resolve("publisher.log"), 300);
        P2Application.run(java, p2, "org.eclipse.equinox.p2.publisher.CategoryPublisher", List.of(
                "-metadataRepository", repo, "-categoryDefinition", category.toUri().toString(),
                "-categoryQualifier", "org.edgenn", "-compress"),
                work.resolve("category.log"), 300);
        for (String f : List.of("content.jar", "artifacts.jar")) {
            if (!Files.exists(site.resolve(f))) {
                throw new IllegalStateException("the publisher wrote no " + f + ":\n" + P2Application.tail(work.resolve("publisher.log")));
            }
        }
        zip(site, site.resolveSibling(site.getFileName() + ".zip"));
        return site;
    }

    private static String featureXml(String version, Map<String, String> included, Map<String, String> required) {
        StringBuilder x = new StringBuilder()
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<feature id=\"").append(FEATURE).append("\" label=\"EdgeNN language support\" version=\"")
                .append(version).append("\" provider-name=\"EdgeNN\">\n")
                .append("  <description>Editing .edgenn files in the Generic Editor: colouring, content assist, hovers with\n")
                .append("    shapes, parameters, MACs and the mapped latency, quick fixes, outline, problem markers and the\n")
                .append("    mapping tables on save.</description>\n")
                .append("  <requires>\n")
                .append("    <import plugin=\"org.eclipse.ui.genericeditor\" version=\"1.3.0\" match=\"greaterOrEqual\"/>\n");
        // the platform's own versions serve: any at least as new as the one the dropins carry
        required.forEach((name, v) -> x.append("    <import plugin=\"").append(name).append("\" version=\"").append(v)
                .append("\" match=\"greaterOrEqual\"/>\n"));
        x.append("  </requires>\n");
        included.forEach((name, v) -> x.append("  <plugin id=\"").append(name).append("\" version=\"").append(v)
                .append("\" download-size=\"0\" install-size=\"0\" unpack=\"false\"/>\n"));
        return x.append("</feature>\n").toString();
    }

    private static String categoryXml(String version) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<site>\n"
                + "  <feature url=\"features/" + FEATURE + "_" + version + ".jar\" id=\"" + FEATURE + "\" version=\"" + version + "\">\n"
                + "    <category name=\"edgenn\"/>\n  </feature>\n"
                + "  <category-def name=\"edgenn\" label=\"EdgeNN\"/>\n</site>\n";
    }

    private static Manifest manifest(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            return m == null ? new Manifest() : m;
        }
    }

    /** Zips the folder's content (an archived p2 repository), written beside and moved into place. */
    private static void zip(Path dir, Path zip) throws IOException {
        Path tmp = Files.createTempFile(zip.getParent(), zip.getFileName().toString(), ".part");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Path f : files) {
                z.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
        Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
