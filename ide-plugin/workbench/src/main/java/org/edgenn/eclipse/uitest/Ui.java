package org.edgenn.eclipse.uitest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;

/**
 * What the scenario does with the display: run on the UI thread, wait for a condition while the UI keeps running,
 * read widgets' texts, post real key and mouse events (XTest under Xvfb), take screenshots of the screen.
 */
final class Ui {

    private Ui() {
    }

    static Display display() {
        return Display.getDefault();
    }

    /** Runs on the UI thread and returns its result; exceptions come back to the caller. */
    static <T> T sync(Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        display().syncExec(() -> {
            try {
                result.set(task.call());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    static void run(ThrowingRunnable task) throws Exception {
        sync(() -> {
            task.run();
            return null;
        });
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Polls (off the UI thread) until the condition, evaluated on the UI thread, holds; false on timeout. */
    static boolean waitFor(long timeoutMillis, Callable<Boolean> condition) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (Boolean.TRUE.equals(sync(condition))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** Every control under a composite, depth first. */
    static List<Control> controls(Control root) {
        List<Control> out = new ArrayList<>();
        out.add(root);
        if (root instanceof Composite c) {
            for (Control child : c.getChildren()) {
                out.addAll(controls(child));
            }
        }
        return out;
    }

    /** The visible text of a shell: labels, text fields, styled texts, table and tree items (expanded). */
    static String texts(Control root) {
        StringBuilder b = new StringBuilder();
        for (Control c : controls(root)) {
            if (!c.isVisible()) {
                continue;
            }
            if (c instanceof StyledText t) {
                b.append(t.getText()).append('\n');
            } else if (c instanceof Text t) {
                b.append(t.getText()).append('\n');
            } else if (c instanceof Label l) {
                b.append(l.getText()).append('\n');
            } else if (c instanceof Table t) {
                for (TableItem i : t.getItems()) {
                    b.append(i.getText()).append('\n');
                }
            } else if (c instanceof Tree t) {
                for (TreeItem i : t.getItems()) {
                    treeText(i, "", b);
                }
            }
        }
        return b.toString();
    }

    static void treeText(TreeItem item, String indent, StringBuilder b) {
        b.append(indent).append(item.getText()).append('\n');
        if (item.getExpanded()) {
            for (TreeItem child : item.getItems()) {
                treeText(child, indent + "  ", b);
            }
        }
    }

    /** Expands a tree the way a click on each arrow does (JFace creates the children on the Expand event). */
    static void expandAll(Tree tree) {
        for (TreeItem i : tree.getItems()) {
            expand(tree, i);
        }
    }

    private static void expand(Tree tree, TreeItem item) {
        if (item.getItemCount() == 0) {
            return;
        }
        Event e = new Event();
        e.item = item;
        tree.notifyListeners(SWT.Expand, e);
        item.setExpanded(true);
        for (TreeItem child : item.getItems()) {
            expand(tree, child);
        }
    }

    /** The shells other than the workbench window that are open and visible (popups: proposals, hovers). */
    static List<Shell> popups(Shell main) {
        List<Shell> out = new ArrayList<>();
        for (Shell s : display().getShells()) {
            if (s != main && s.isVisible() && !s.isDisposed()) {
                out.add(s);
            }
        }
        return out;
    }

    /** A key press and release, as the keyboard sends it (the focused control receives it). */
    static void key(int keyCode, char character, int modifier) throws Exception {
        Display d = display();
        run(() -> {
            if (modifier != 0) {
                post(d, SWT.KeyDown, modifier, (char) 0);
            }
            post(d, SWT.KeyDown, keyCode, character);
            post(d, SWT.KeyUp, keyCode, character);
            if (modifier != 0) {
                post(d, SWT.KeyUp, modifier, (char) 0);
            }
        });
    }

    private static void post(Display d, int type, int keyCode, char character) {
        Event e = new Event();
        e.type = type;
        e.keyCode = keyCode;
        e.character = character;
        d.post(e);
    }

    static void mouseMove(int x, int y) throws Exception {
        run(() -> {
            Event e = new Event();
            e.type = SWT.MouseMove;
            e.x = x;
            e.y = y;
            display().post(e);
        });
    }

    /** A PNG of the given screen area (display coordinates), as the X server shows it. */
    static void screenshot(Rectangle area, Path file) throws Exception {
        run(() -> {
            Display d = display();
            Image image = new Image(d, area.width, area.height);
            GC gc = new GC(d);
            try {
                gc.copyArea(image, area.x, area.y);
                ImageLoader loader = new ImageLoader();
                loader.data = new ImageData[] {image.getImageData()};
                Files.createDirectories(file.getParent());
                loader.save(file.toString(), SWT.IMAGE_PNG);
            } finally {
                gc.dispose();
                image.dispose();
            }
        });
    }

    /** The union of the main shell's bounds and the given popups' bounds. */
    static Rectangle around(Shell main, List<Shell> popups) {
        Rectangle r = main.getBounds();
        for (Shell s : popups) {
            r = r.union(s.getBounds());
        }
        return r.intersection(display().getBounds());
    }

    static <T> T orNull(Supplier<T> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
