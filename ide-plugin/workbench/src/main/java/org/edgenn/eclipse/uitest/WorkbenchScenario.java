package org.edgenn.eclipse.uitest;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspace;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextOperationTarget;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.ui.IStartup;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.part.PageBookView;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * The UI test, run inside the workbench once it is up ({@code org.eclipse.ui.startup}): what a user does with a
 * .edgenn file, step by step, recording what the workbench shows into {@code results.properties} and screenshots
 * into the folder named by the system property {@code edgenn.uitest.out}; then it closes the workbench. The test on the
 * Maven side (WorkbenchUiIT) compares the record with the language services run headless. A step that fails records
 * its exception and the scenario goes on, so one broken feature does not hide the others.
 */
public class WorkbenchScenario implements IStartup {

    static final String NATURE = "org.edgenn.eclipse.nature";
    static final String MARKER = "org.edgenn.eclipse.problem";
    static final String FILE = "lista/lista.edgenn";

    private final Properties results = new Properties();
    private Path out;
    private Shell shell;
    private IWorkbenchPage page;
    private ITextEditor editor;
    private ISourceViewer viewer;
    private IDocument document;
    private IFile file;

    @Override
    public void earlyStartup() {
        String dir = System.getProperty("edgenn.uitest.out");
        if (dir == null) {
            return; // installed but not asked to run
        }
        out = Path.of(dir);
        try {
            step("project", this::createProject);
            step("open", this::openEditor);
            step("highlighting", this::highlighting);
            step("hover", this::hover);
            step("diagnostic", this::typeError);
            step("problems", this::problemsView);
            step("quickfix", this::quickFix);
            step("completion", this::completion);
            step("outline", this::outline);
            step("build", this::saveAndBuild);
        } finally {
            try (OutputStream o = Files.newOutputStream(out.resolve("results.properties"))) {
                results.store(o, "EdgeNN workbench scenario");
            } catch (Exception e) {
                e.printStackTrace();
            }
            PlatformUI.getWorkbench().getDisplay().asyncExec(() -> PlatformUI.getWorkbench().close());
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void step(String name, Step s) {
        long start = System.currentTimeMillis();
        try {
            s.run();
            results.setProperty(name + ".ok", "true");
        } catch (Throwable e) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            results.setProperty(name + ".error", w.toString());
            System.err.println("step " + name + " failed: " + w);
        }
        results.setProperty(name + ".millis", Long.toString(System.currentTimeMillis() - start));
    }

    private void put(String key, Object value) {
        results.setProperty(key, String.valueOf(value));
    }

    // ---- steps

    /** A project with the EdgeNN nature holding LISTA and the accelerator it imports; the first build. */
    private void createProject() throws Exception {
        Path examples = Path.of(System.getProperty("edgenn.uitest.examples"));
        IWorkspace ws = ResourcesPlugin.getWorkspace();
        IProject project = ws.getRoot().getProject("demo");
        project.create(null);
        project.open(null);
        // as a user adds it (docs/ide.md): setting the description configures the nature, which adds the builder
        IProjectDescription d = project.getDescription();
        d.setNatureIds(new String[] {NATURE});
        project.setDescription(d, null);
        for (String f : List.of(FILE, "targets/tiny16.edgenn")) {
            IFolder folder = project.getFolder(f.substring(0, f.indexOf('/')));
            if (!folder.exists()) {
                folder.create(true, true, null);
            }
            byte[] bytes = Files.readAllBytes(examples.resolve(f));
            project.getFile(f).create(new ByteArrayInputStream(bytes), true, null);
        }
        file = project.getFile(FILE);
        waitForBuild();
        put("project.natures", String.join(",", project.getDescription().getNatureIds()));
        put("project.builders", Stream.of(project.getDescription().getBuildSpec()).map(c -> c.getBuilderName())
                .collect(Collectors.joining(",")));
        put("project.markers", markers().size());
        put("build.first.files", generated(project));
    }

    private void openEditor() throws Exception {
        Ui.run(() -> {
            IWorkbenchWindow window = PlatformUI.getWorkbench().getWorkbenchWindows()[0];
            shell = window.getShell();
            shell.setBounds(Ui.display().getBounds());
            shell.forceActive();
            page = window.getActivePage();
            var part = IDE.openEditor(page, file);
            put("editor.class", part.getClass().getName());
            put("editor.id", part.getSite().getId());
            editor = part.getAdapter(ITextEditor.class);
            viewer = (ISourceViewer) editor.getAdapter(ITextOperationTarget.class);
            document = editor.getDocumentProvider().getDocument(editor.getEditorInput());
            viewer.getTextWidget().setFocus();
        });
    }

    /** Waits for colours beyond the default foreground and records where the op names are coloured. */
    private void highlighting() throws Exception {
        boolean coloured = Ui.waitFor(20_000, () -> colouredRanges().size() > 10);
        put("highlighting.coloured", coloured);
        Ui.pause(1000); // the semantic pass follows the lexical one
        Ui.run(() -> {
            List<String> ranges = new ArrayList<>();
            String text = viewer.getTextWidget().getText();
            for (StyleRange r : colouredRanges()) {
                ranges.add(r.start + ":" + text.substring(r.start, r.start + r.length) + ":" + r.foreground.getRGB());
            }
            put("highlighting.ranges", String.join("|", ranges));
        });
        Ui.screenshot(Ui.sync(() -> shell.getBounds()), out.resolve("editor.png"));
    }

    private List<StyleRange> colouredRanges() {
        List<StyleRange> out = new ArrayList<>();
        StyledText t = viewer.getTextWidget();
        for (StyleRange r : t.getStyleRanges()) {
            if (r.foreground != null && !r.foreground.equals(t.getForeground())) {
                out.add(r);
            }
        }
        return out;
    }

    /** The mouse rests on the layer name in `layer We = dense(...)`: the hover popup's text. */
    private void hover() throws Exception {
        int offset = Ui.sync(() -> document.get().indexOf("We = dense") + 1);
        put("hover.offset", offset);
        Point at = Ui.sync(() -> {
            StyledText t = viewer.getTextWidget();
            Point p = t.getLocationAtOffset(offset);
            return t.toDisplay(p.x + 2, p.y + t.getLineHeight() / 2);
        });
        // the first hover maps the network onto its target (seconds under load); a hover that did not show is asked
        // for again, as a user moves the mouse off and back on
        boolean shown = false;
        for (int attempt = 1; attempt <= 4 && !shown; attempt++) {
            Ui.mouseMove(at.x - 40, at.y + 3 * attempt);
            Ui.pause(300);
            Ui.mouseMove(at.x, at.y);
            shown = Ui.waitFor(20_000, () -> Ui.popups(shell).stream().anyMatch(s -> Ui.texts(s).contains("MACs")));
            put("hover.attempts", attempt);
        }
        put("hover.shown", shown);
        put("hover.text", Ui.sync(() -> Ui.popups(shell).stream().map(Ui::texts).collect(Collectors.joining("\n--\n"))));
        Ui.screenshot(Ui.sync(() -> Ui.around(shell, Ui.popups(shell))), out.resolve("hover.png"));
        Ui.mouseMove(5, 5);
        Ui.key(SWT.ESC, (char) 27, 0);
        Ui.waitFor(5_000, () -> Ui.popups(shell).isEmpty());
    }

    /** Types a misspelt attribute into the editor: the annotation appears at its place after the pause in typing. */
    private void typeError() throws Exception {
        int offset = Ui.sync(() -> document.get().indexOf("bias=false") + "bias".length());
        put("diagnostic.offset", offset);
        Ui.run(() -> {
            viewer.getTextWidget().setFocus();
            editor.selectAndReveal(offset, 0);
        });
        Ui.key('s', 's', 0); // a real key press: bias -> biass
        put("diagnostic.typed", Ui.waitFor(5_000, () -> document.get().contains("biass=false")));
        boolean shown = Ui.waitFor(20_000, () -> !errors().isEmpty());
        put("diagnostic.shown", shown);
        Ui.run(() -> {
            IAnnotationModel model = viewer.getAnnotationModel();
            List<String> list = new ArrayList<>();
            for (Annotation a : errors()) {
                var p = model.getPosition(a);
                list.add((document.getLineOfOffset(p.getOffset()) + 1) + ":" + p.getOffset() + ":" + p.getLength()
                        + ":" + a.getText());
            }
            put("diagnostic.annotations", String.join("|", list));
        });
        // saving runs the builder: the marker the Problems view lists
        Ui.run(() -> editor.doSave(new NullProgressMonitor()));
        waitForBuild();
        List<String> markers = new ArrayList<>();
        for (IMarker m : markers()) {
            markers.add(m.getAttribute(IMarker.LINE_NUMBER, -1) + ":" + m.getAttribute(IMarker.SEVERITY, -1) + ":"
                    + m.getAttribute(IMarker.MESSAGE, ""));
        }
        put("diagnostic.markers", String.join("|", markers));
    }

    /** The error annotations of typing (the reconciler's); the builder's markers show as MarkerAnnotations. */
    private List<Annotation> errors() {
        List<Annotation> out = new ArrayList<>();
        viewer.getAnnotationModel().getAnnotationIterator().forEachRemaining(a -> {
            if (a.getType().endsWith(".error") && !(a instanceof org.eclipse.ui.texteditor.MarkerAnnotation)) {
                out.add(a);
            }
        });
        return out;
    }

    private String problemsText(IViewPart view) {
        StringBuilder b = new StringBuilder();
        for (Control c : Ui.controls(shell)) {
            if (c instanceof Tree t && c.isVisible() && isIn(t, view)) {
                Ui.expandAll(t);
                b.append(Ui.texts(t));
            }
        }
        return b.toString();
    }

    /** The Problems view's table-tree: its first column is the problem's Description. */
    private static boolean isIn(Tree t, IViewPart view) {
        return t.getColumnCount() > 1 && "Description".equals(t.getColumn(0).getText());
    }

    private void problemsView() throws Exception {
        IViewPart view = Ui.sync(() -> page.showView("org.eclipse.ui.views.ProblemView"));
        put("problems.view", view.getClass().getName());
        // the view's own tree (the first Tree under the part's control), its categories expanded as a click would
        boolean listed = Ui.waitFor(20_000, () -> problemsText(view).contains("biass"));
        put("problems.listed", listed);
        put("problems.text", Ui.sync(() -> problemsText(view)));
        Ui.run(() -> page.activate(editor));
        Ui.screenshot(Ui.sync(() -> shell.getBounds()), out.resolve("diagnostic.png"));
    }

    /** Ctrl+1 on the misspelt attribute, Enter on the first fix. */
    private void quickFix() throws Exception {
        int offset = Ui.sync(() -> document.get().indexOf("biass") + 2);
        Ui.run(() -> {
            editor.selectAndReveal(offset, 0);
            viewer.getTextWidget().setFocus();
            ((ITextOperationTarget) viewer).doOperation(ISourceViewer.QUICK_ASSIST);
        });
        boolean shown = Ui.waitFor(15_000, () -> !Ui.popups(shell).isEmpty() && !Ui.texts(Ui.popups(shell).get(0)).isBlank());
        put("quickfix.shown", shown);
        put("quickfix.proposals", Ui.sync(() -> Ui.popups(shell).stream().map(Ui::texts).collect(Collectors.joining("\n--\n"))));
        Ui.screenshot(Ui.sync(() -> Ui.around(shell, Ui.popups(shell))), out.resolve("quickfix.png"));
        put("quickfix.appliedBy", apply(() -> !document.get().contains("biass")));
        put("quickfix.applied", Ui.sync(() -> !document.get().contains("biass")));
        put("quickfix.line", Ui.sync(() -> lineAt(document.get().indexOf("layer We"))));
        put("quickfix.cleared", Ui.waitFor(20_000, () -> errors().isEmpty()));
        put("quickfix.remaining", Ui.sync(() -> errors().stream().map(Annotation::getText).collect(Collectors.joining("|"))));
    }

    /** Content assist after `init=dic`: the proposals popup, then Enter applies the selected one. */
    private void completion() throws Exception {
        int offset = Ui.sync(() -> {
            int at = document.get().indexOf("init=dictionary_t") + "init=".length();
            document.replace(at, "dictionary_t".length(), "dic");
            return at + 3;
        });
        put("completion.offset", offset);
        put("completion.before", Ui.sync(() -> document.get()));
        Ui.run(() -> {
            editor.selectAndReveal(offset, 0);
            viewer.getTextWidget().setFocus();
            ((ITextOperationTarget) viewer).doOperation(ISourceViewer.CONTENTASSIST_PROPOSALS);
        });
        // the Generic Editor's assistant is asynchronous: it lists a "Computing proposals" entry until every
        // processor has answered, and Enter then would apply whatever is first
        boolean shown = Ui.waitFor(30_000, () -> Ui.popups(shell).stream().anyMatch(s -> Ui.texts(s).contains("dictionary_t")
                && !Ui.texts(s).contains("Computing proposals")));
        put("completion.shown", shown);
        put("completion.proposals", Ui.sync(() -> Ui.popups(shell).stream().map(Ui::texts).collect(Collectors.joining("\n--\n"))));
        Ui.screenshot(Ui.sync(() -> Ui.around(shell, Ui.popups(shell))), out.resolve("completion.png"));
        put("completion.appliedBy", apply(() -> !lineAt(offset).contains("init=dic)")));
        put("completion.applied", Ui.sync(() -> !lineAt(offset).contains("init=dic)")));
        put("completion.line", Ui.sync(() -> lineAt(offset)));
    }

    /**
     * Applies the selected proposal of the open popup: Enter, as typed; if that does not apply it (under Xvfb it does
     * not, though the text widget has the focus: docs/ide.md), the popup's own default-selection handler, which is what
     * Enter and a double click call. Returns which one applied it, or "none".
     */
    private String apply(java.util.concurrent.Callable<Boolean> applied) throws Exception {
        Ui.key(SWT.CR, '\r', 0);
        if (Ui.waitFor(3_000, applied)) {
            return "key";
        }
        Ui.run(() -> {
            for (Shell s : Ui.popups(shell)) {
                for (Control c : Ui.controls(s)) {
                    if (c instanceof org.eclipse.swt.widgets.Table t && t.getItemCount() > 0) {
                        if (t.getSelectionIndex() < 0) {
                            t.setSelection(0);
                        }
                        t.notifyListeners(SWT.DefaultSelection, new org.eclipse.swt.widgets.Event());
                        return;
                    }
                }
            }
        });
        if (Ui.waitFor(5_000, applied)) {
            return "defaultSelection";
        }
        Ui.key(SWT.ESC, (char) 27, 0);
        return "none";
    }

    private String lineAt(int offset) throws Exception {
        var line = document.getLineInformationOfOffset(offset);
        return document.get(line.getOffset(), line.getLength());
    }

    /** The Outline view beside the editor, every entry expanded. */
    private void outline() throws Exception {
        IViewPart view = Ui.sync(() -> {
            IViewPart v = page.showView("org.eclipse.ui.views.ContentOutline");
            page.activate(editor);
            return v;
        });
        boolean filled = Ui.waitFor(15_000, () -> {
            Control c = ((PageBookView) view).getCurrentPage().getControl();
            return c instanceof Tree t && t.getItemCount() > 0;
        });
        put("outline.filled", filled);
        Ui.run(() -> {
            Control c = ((PageBookView) view).getCurrentPage().getControl();
            put("outline.page", ((PageBookView) view).getCurrentPage().getClass().getName());
            if (c instanceof Tree t) {
                Ui.expandAll(t);
                put("outline.tree", Ui.texts(t));
            }
        });
        Ui.screenshot(Ui.sync(() -> shell.getBounds()), out.resolve("outline.png"));
    }

    /** Saves the corrected file: no markers, and the builder writes the mapping tables again. */
    private void saveAndBuild() throws Exception {
        long before = System.currentTimeMillis();
        Ui.run(() -> editor.doSave(new NullProgressMonitor()));
        waitForBuild();
        put("build.saved", Ui.sync(() -> document.get()));
        put("build.markers", markers().size());
        IProject project = file.getProject();
        put("build.files", generated(project));
        Path gen = project.getLocation().toFile().toPath().resolve("edgenn-gen");
        if (!Files.isDirectory(gen)) {
            put("build.rewritten", 0);
            return;
        }
        try (Stream<Path> s = Files.walk(gen)) {
            put("build.rewritten", s.filter(Files::isRegularFile)
                    .filter(p -> p.toFile().lastModified() >= before - 1000).count());
        }
    }

    private List<IMarker> markers() throws Exception {
        return List.of(file.findMarkers(MARKER, true, IResource.DEPTH_ZERO));
    }

    private static String generated(IProject project) throws Exception {
        IFolder gen = project.getFolder("edgenn-gen");
        if (!gen.exists()) {
            return "";
        }
        List<String> files = new ArrayList<>();
        gen.accept(r -> {
            if (r instanceof IFile f) {
                files.add(f.getProjectRelativePath() + ":" + f.getLocation().toFile().length());
            }
            return true;
        });
        return String.join("|", files);
    }

    private static void waitForBuild() throws Exception {
        Thread.sleep(500);
        Job.getJobManager().join(ResourcesPlugin.FAMILY_AUTO_BUILD, null);
        Job.getJobManager().join(ResourcesPlugin.FAMILY_MANUAL_BUILD, null);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
