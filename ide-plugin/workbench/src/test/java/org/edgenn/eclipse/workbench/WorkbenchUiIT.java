package org.edgenn.eclipse.workbench;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.ide.EdgeNNIdeSetup;
import org.edgenn.dsl.ide.editor.EdgeNNEditorServices;
import org.edgenn.dsl.ide.editor.EditorDocument;
import org.edgenn.dsl.ide.highlighting.EdgeNNHighlightingStyles;
import org.edgenn.dsl.ide.outline.EdgeNNOutline;
import org.edgenn.dsl.ide.quickfix.Fix;
import org.edgenn.eclipse.builder.FileGeneration;
import org.edgenn.eclipse.site.EclipseAssembly;
import org.edgenn.eclipse.site.UpdateSite;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The EdgeNN plugin in a real Eclipse workbench, installed the way a user installs it: a stock Eclipse from Maven
 * Central, managed by p2 (StockEclipse), gets EdgeNN from the update site (ide-plugin/site) through its own p2
 * director; then it is started on a JDK 21+ under Xvfb with the UI test bundle (org.edgenn.eclipse.uitest, this
 * module's jar, part of the stock installation, idle unless asked to run), which creates a project,
 * opens LISTA in the Generic Editor and uses it as a person would; then compares what the workbench showed with the
 * language services run headless on the same texts (the reference) and checks the screenshots are not blank.
 * Skipped outside CI when no JDK 21+ or no Xvfb is found; in CI (CI=true) that is a failure.
 */
class WorkbenchUiIT {

    private static final Path OUT = Path.of("target", "uitest");
    private static Properties r;
    private static Path examples;
    private static EdgeNNEditorServices services;
    /** bundles.info of the stock Eclipse before and after the installation from the update site */
    private static List<String> stockBundles;
    private static List<String> installedBundles;
    /** the installable units of the p2 profile after the installation */
    private static String profile;

    @BeforeAll
    static void runTheWorkbench() throws Exception {
        Optional<Path> java = Workbench.java21();
        Optional<Path> xvfb = Workbench.xvfb();
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (java.isEmpty() || xvfb.isEmpty()) {
            String why = "needs a JDK 21+ (EDGENN_ECLIPSE_JAVA_HOME or /usr/lib/jvm) and Xvfb: java " + java
                    + ", Xvfb " + xvfb;
            assertTrue(!ci, "in CI, .ci/run installs both: " + why);
            Assumptions.abort(why);
        }
        examples = Path.of(System.getProperty("edgenn.examples")).toAbsolutePath();
        EclipseAssembly.delete(OUT);
        Path out = Files.createDirectories(OUT).toAbsolutePath();
        // the stock Eclipse (platform + p2 + this UI test bundle, no EdgeNN), then EdgeNN from the update site by the
        // stock Eclipse's own p2 director, as a user installs it
        Path home = Path.of("target", "eclipse").toAbsolutePath();
        long t0 = System.nanoTime();
        StockEclipse.provision(java.get(), Path.of(System.getProperty("edgenn.platform")),
                Path.of(System.getProperty("edgenn.p2")), Path.of(System.getProperty("edgenn.uitest")), home,
                Path.of("target", "stock").toAbsolutePath());
        stockBundles = StockEclipse.bundles(home);
        long t1 = System.nanoTime();
        StockEclipse.install(java.get(), home, Path.of(System.getProperty("edgenn.site")).toAbsolutePath(),
                UpdateSite.FEATURE_GROUP, out.resolve("director.log"));
        installedBundles = StockEclipse.bundles(home);
        profile = StockEclipse.profile(home);
        System.out.printf("stock Eclipse provisioned by p2 in %.1f s, EdgeNN installed from the update site in %.1f s%n",
                (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        Path launcher = StockEclipse.launcher(home);
        int exit;
        try (Workbench.X x = new Workbench.X(xvfb.get(), out.resolve("xvfb.log"))) {
            exit = Workbench.run(java.get(), launcher, home, out.resolve("workspace"), x.display,
                    List.of("-Dedgenn.uitest.out=" + out, "-Dedgenn.uitest.examples=" + examples),
                    out.resolve("eclipse.log"), 480);
        }
        Path results = out.resolve("results.properties");
        assertTrue(Files.exists(results), "the workbench (exit " + exit + ") wrote no results; see " + out.resolve("eclipse.log")
                + ":\n" + tail(out.resolve("eclipse.log")));
        r = new Properties();
        try (Reader in = Files.newBufferedReader(results)) {
            r.load(in);
        }
        assertEquals(0, exit, "the workbench's exit code; see " + out.resolve("eclipse.log"));
        services = new EdgeNNIdeSetup().createInjectorAndDoEMFRegistration().getInstance(EdgeNNEditorServices.class);
    }

    private static String tail(Path log) throws Exception {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** The reference: the file as the workbench had it, at its place beside the imported accelerator. */
    private static EditorDocument reference(String text) {
        return services.open(URI.createFileURI(examples.resolve("lista/lista.edgenn").toString()), text);
    }

    /** The text after the key press: the first `bias=false` (the We layer's) became `biass=false`. */
    private static String typed() throws Exception {
        String text = original();
        int at = text.indexOf("bias=false") + "bias".length();
        assertEquals(Integer.parseInt(get("diagnostic.offset")), at);
        return text.substring(0, at) + "s" + text.substring(at);
    }

    private static String original() throws Exception {
        return Files.readString(examples.resolve("lista/lista.edgenn"));
    }

    private static String get(String key) {
        assertNotNull(r.getProperty(key), key + " not recorded; step errors: " + r.stringPropertyNames().stream()
                .filter(k -> k.endsWith(".error")).map(k -> k + "=" + r.getProperty(k)).collect(Collectors.joining("\n")));
        return r.getProperty(key);
    }

    private static List<String> list(String key) {
        String v = get(key);
        return v.isEmpty() ? List.of() : List.of(v.split("\\|"));
    }

    @Test
    void everyStepRanWithoutAnException() {
        List<String> errors = r.stringPropertyNames().stream().filter(k -> k.endsWith(".error")).sorted()
                .map(k -> k + ": " + r.getProperty(k)).collect(Collectors.toList());
        assertEquals(List.of(), errors);
    }

    @Test
    void edgennIsInstalledIntoTheStockEclipseFromTheUpdateSite() throws Exception {
        // the stock Eclipse: the platform with the Generic Editor, none of EdgeNN's bundles (the UI test bundle aside)
        assertTrue(stockBundles.contains("org.eclipse.ui.genericeditor"), stockBundles.toString());
        assertEquals(List.of("org.edgenn.eclipse.uitest"), stockBundles.stream().filter(b -> b.startsWith("org.edgenn"))
                .collect(Collectors.toList()));
        // the director kept every bundle of the platform and added the feature's: the plugins feature.xml lists in
        // the site's feature jar, less those the platform already had (the same versions are one unit in p2)
        assertTrue(installedBundles.containsAll(stockBundles));
        Set<String> added = new TreeSet<>(installedBundles);
        stockBundles.forEach(added::remove);
        Set<String> expected = new TreeSet<>(featurePlugins());
        expected.removeAll(stockBundles);
        assertTrue(expected.contains("org.edgenn.eclipse") && expected.contains("org.eclipse.xtext"), expected.toString());
        assertEquals(expected, added);
        String p = profile;
        assertTrue(p.contains("id='" + UpdateSite.FEATURE_GROUP + "'"), "the profile has no " + UpdateSite.FEATURE_GROUP);
        assertTrue(p.contains("id='" + StockEclipse.ROOT + "'"), "the profile has no " + StockEclipse.ROOT);
    }

    /** The plugin ids of the published feature, read from its feature.xml in the site's features/ folder. */
    private static List<String> featurePlugins() throws Exception {
        Path features = Path.of(System.getProperty("edgenn.site"), "features");
        Path jar;
        try (Stream<Path> s = Files.list(features)) {
            jar = s.filter(f -> f.getFileName().toString().startsWith(UpdateSite.FEATURE + "_")).findFirst().orElseThrow();
        }
        String xml;
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            xml = new String(j.getInputStream(j.getEntry("feature.xml")).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        List<String> ids = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<plugin\\s+id=\"([^\"]+)\"").matcher(xml);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void theProjectGetsTheNatureAndTheBuilderWritesTheMappingTablesOfTheCleanFile(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        assertEquals("org.edgenn.eclipse.nature", get("project.natures"));
        assertEquals("org.edgenn.eclipse.builder", get("project.builders"));
        assertEquals("0", get("project.markers"));
        // the same generation run headless on the same file gives the same files, byte for byte in size
        FileGeneration.of(URI.createFileURI(examples.resolve("lista/lista.edgenn").toString()), original(), tmp);
        List<String> expected;
        try (Stream<Path> s = Files.walk(tmp)) {
            expected = s.filter(Files::isRegularFile).map(p -> "edgenn-gen/" + tmp.relativize(p).toString().replace('\\', '/')
                    + ":" + p.toFile().length()).sorted().collect(Collectors.toList());
        }
        assertTrue(expected.size() >= 3, expected.toString());
        // the JSON table records how long the search took (a few bytes more or less): names and the CSV/Markdown
        // sizes must match; the contents are compared after the last build (below)
        assertEquals(withoutJsonSize(expected), withoutJsonSize(list("build.first.files").stream().sorted()
                .collect(Collectors.toList())));
    }

    private static List<String> withoutJsonSize(List<String> files) {
        return files.stream().map(f -> f.contains(".json:") ? f.substring(0, f.indexOf(".json:") + 5) : f)
                .collect(Collectors.toList());
    }

    @Test
    void theFileOpensInTheGenericEditorWithTheLanguagesColours() throws Exception {
        assertEquals("org.eclipse.ui.genericeditor.GenericEditor", get("editor.id"));
        assertEquals("true", get("highlighting.coloured"));
        Set<String> coloured = new HashSet<>();
        for (String range : list("highlighting.ranges")) {
            String[] p = range.split(":", 3);
            coloured.add(p[0] + ":" + p[1]);
        }
        String text = original();
        List<String> ops = new ArrayList<>();
        for (var h : reference(text).highlightAll()) {
            if (EdgeNNHighlightingStyles.OP.equals(h.style()) || EdgeNNHighlightingStyles.LAYER.equals(h.style())) {
                ops.add(h.offset() + ":" + text.substring(h.offset(), h.offset() + h.length()));
            }
        }
        assertTrue(ops.size() >= 4, ops.toString());
        assertTrue(coloured.containsAll(ops), "op and layer names the services colour, not coloured in the editor: "
                + ops.stream().filter(o -> !coloured.contains(o)).collect(Collectors.toList()));
    }

    @Test
    void hoveringALayerShowsItsShapeParamsMacsAndLatencyOnTheTarget() throws Exception {
        assertEquals("true", get("hover.shown"));
        String hover = get("hover.text");
        String expected = reference(original()).hover(Integer.parseInt(get("hover.offset"))).replace("**", "");
        assertTrue(expected.contains("on Tiny16: latency"), expected);
        for (String line : expected.split("\n")) {
            assertTrue(hover.contains(line.trim()), "hover lacks '" + line + "':\n" + hover);
        }
    }

    @Test
    void aTypedErrorIsAnnotatedAtItsPlaceAndSavingPutsItInTheProblemsView() throws Exception {
        assertEquals("true", get("diagnostic.typed"));
        assertEquals("true", get("diagnostic.shown"));
        String typed = typed();
        EditorDocument ref = reference(typed);
        Set<String> annotations = new TreeSet<>();
        Set<String> markers = new TreeSet<>();
        for (Issue i : ref.validate()) {
            if (i.getSeverity() == Severity.ERROR) {
                annotations.add(i.getLineNumber() + ":" + i.getOffset() + ":" + i.getLength() + ":" + i.getMessage());
                markers.add(i.getLineNumber() + ":2:" + i.getMessage());
            }
        }
        assertEquals(1, annotations.size(), annotations.toString());
        assertEquals(annotations, new TreeSet<>(list("diagnostic.annotations")));
        assertEquals(markers, new TreeSet<>(list("diagnostic.markers")));
        assertEquals("true", get("problems.listed"));
        String message = markers.iterator().next().split(":", 3)[2];
        assertTrue(get("problems.text").contains(message), get("problems.text"));
    }

    @Test
    void theQuickFixIsOfferedAndApplied() throws Exception {
        String typed = typed();
        List<Fix> fixes = reference(typed).fixesAt(typed.indexOf("biass") + 2);
        assertEquals(1, fixes.size(), fixes.toString());
        assertAll(() -> assertEquals("true", get("quickfix.shown")),
                () -> assertTrue(get("quickfix.proposals").contains(fixes.get(0).label()), get("quickfix.proposals")),
                () -> assertEquals("true", get("quickfix.applied")),
                () -> assertEquals(line(fixes.get(0).applyTo(typed), "layer We"), get("quickfix.line")),
                () -> assertEquals("true", get("quickfix.cleared"), "annotations left after the fix"));
    }

    @Test
    void contentAssistProposesTheInitializersAndAppliesOne() throws Exception {
        String before = get("completion.before");
        int offset = Integer.parseInt(get("completion.offset"));
        List<String> labels = reference(before).complete(offset).stream().map(ContentAssistEntry::getProposal)
                .filter(l -> l != null && l.startsWith("dic")).collect(Collectors.toList());
        assertTrue(labels.contains("dictionary_t"), labels.toString());
        String shown = get("completion.proposals");
        for (String l : labels) {
            assertTrue(shown.contains(l), "proposal " + l + " not shown: " + shown);
        }
        assertEquals("true", get("completion.shown"));
        assertEquals("true", get("completion.applied"));
        // the first proposal is selected: the popup lists them in the services' order
        String first = shown.split("\n")[0].split(" - ")[0].trim();
        assertEquals(line(before, "layer We").replace("init=dic", "init=" + first), get("completion.line"));
    }

    @Test
    void theOutlineShowsTheServicesSymbolTree() throws Exception {
        assertEquals("true", get("outline.filled"));
        assertEquals("org.edgenn.eclipse.editor.EdgeNNOutlinePage", get("outline.page"));
        String tree = get("outline.tree");
        String text = get("build.saved");
        for (EdgeNNOutline.Node n : reference(text).outline()) {
            assertTrue(tree.contains(n.name()), n.name() + " missing:\n" + tree);
            for (EdgeNNOutline.Node c : n.children()) {
                assertTrue(tree.contains("  " + c.name()), c.name() + " missing:\n" + tree);
            }
        }
    }

    @Test
    void savingTheCorrectedFileClearsTheProblemsAndRegenerates(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        assertEquals(original(), get("build.saved"), "the fix and the completion restore the original text");
        assertEquals("0", get("build.markers"));
        assertEquals(withoutJsonSize(list("build.first.files")), withoutJsonSize(list("build.files")));
        assertTrue(Integer.parseInt(get("build.rewritten")) >= 3, get("build.rewritten"));
        // the tables the builder wrote equal those generated headless from the same text, search times aside
        FileGeneration.of(URI.createFileURI(examples.resolve("lista/lista.edgenn").toString()), original(), tmp);
        Path workspace = OUT.resolve("workspace/demo/edgenn-gen");
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path f : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
                Path ours = workspace.resolve(tmp.relativize(f).toString());
                assertEquals(timeless(Files.readString(f)), timeless(Files.readString(ours)), ours.toString());
            }
        }
    }

    private static String timeless(String table) {
        return table.replaceAll("\"millis\"\\s*:\\s*\\d+", "\"millis\":_");
    }

    @Test
    void theScreenshotsShowTheWorkbench() throws Exception {
        for (String name : List.of("editor", "hover", "diagnostic", "quickfix", "completion", "outline")) {
            Path png = OUT.resolve(name + ".png");
            assertTrue(Files.exists(png), png + " missing");
            BufferedImage image = ImageIO.read(png.toFile());
            assertTrue(image.getWidth() >= 800 && image.getHeight() >= 600, name + ": " + image.getWidth() + "x" + image.getHeight());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < image.getHeight(); y += 3) {
                for (int x = 0; x < image.getWidth(); x += 3) {
                    colours.add(image.getRGB(x, y));
                }
            }
            // a blank or single-colour capture has a handful; text, icons and syntax colours give hundreds
            assertTrue(colours.size() > 100, name + ".png has " + colours.size() + " colours");
        }
    }

    private static String line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst().orElseThrow();
    }
}
