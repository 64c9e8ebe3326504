package org.edgenn.eclipse.builder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceDelta;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.emf.common.util.URI;

/**
 * Runs on save (auto-build): checks every changed .edgenn file, puts its problems in the Problems
 * view and, when it has no errors, regenerates its outputs into the project's {@code edgenn-gen}
 * folder ({@link FileGeneration}: mapping tables per network and target).
 */
public class EdgeNNBuilder extends IncrementalProjectBuilder {

    public static final String ID = "org.edgenn.eclipse.builder";
    public static final String MARKER = "org.edgenn.eclipse.problem";
    public static final String OUTPUT_FOLDER = "edgenn-gen";

    @Override
    protected IProject[] build(int kind, Map<String, String> args, IProgressMonitor monitor) throws CoreException {
        IResourceDelta delta = kind == FULL_BUILD ? null : getDelta(getProject());
        if (delta == null) {
            getProject().accept(r -> {
                check(r);
                return true;
            });
        } else {
            delta.accept(d -> {
                if (d.getKind() != IResourceDelta.REMOVED) {
                    check(d.getResource());
                }
                return true;
            });
        }
        return null;
    }

    private void check(IResource resource) throws CoreException {
        if (!(resource instanceof IFile file) || !"edgenn".equals(file.getFileExtension())) {
            return;
        }
        file.deleteMarkers(MARKER, false, IResource.DEPTH_ZERO);
        String text;
        try (InputStream in = file.getContents(true)) {
            text = new String(in.readAllBytes(), Charset.forName(file.getCharset()));
        } catch (IOException e) {
            mark(file, new FileProblems.Problem(true, 1, 0, 0, "cannot read " + file.getName() + ": " + e.getMessage(), null));
            return;
        }
        URI location = file.getLocationURI() == null ? URI.createURI(file.getFullPath().toString())
                : URI.createURI(file.getLocationURI().toString());
        List<FileProblems.Problem> problems = FileProblems.of(location, text);
        for (FileProblems.Problem p : problems) {
            mark(file, p);
        }
        if (problems.stream().noneMatch(FileProblems.Problem::error) && getProject().getLocation() != null) {
            try {
                FileGeneration.of(location, text, getProject().getLocation().toFile().toPath().resolve(OUTPUT_FOLDER));
            } catch (IOException | RuntimeException e) {
                mark(file, new FileProblems.Problem(true, 1, 0, 0, "generation failed: " + e.getMessage(), null));
            }
            getProject().getFolder(OUTPUT_FOLDER).refreshLocal(IResource.DEPTH_INFINITE, null);
        }
    }

    private static void mark(IFile file, FileProblems.Problem p) throws CoreException {
        IMarker m = file.createMarker(MARKER);
        m.setAttribute(IMarker.SEVERITY, p.error() ? IMarker.SEVERITY_ERROR : IMarker.SEVERITY_WARNING);
        m.setAttribute(IMarker.MESSAGE, p.message());
        m.setAttribute(IMarker.LINE_NUMBER, p.line());
        m.setAttribute(IMarker.CHAR_START, p.start());
        m.setAttribute(IMarker.CHAR_END, p.end());
    }
}
