package org.edgenn.dsl;

import com.google.inject.Injector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.Issue;

/** The example models of the repository, loaded from disk as the command line loads them. */
public final class Examples {
    public static final Path ROOT = Path.of("..", "examples", "src", "main", "edgenn").toAbsolutePath().normalize();

    private Examples() {
    }

    public static List<Path> files() {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(p -> p.toString().endsWith(".edgenn")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Resource load(Injector injector, Path file) {
        XtextResourceSet rs = injector.getInstance(XtextResourceSet.class);
        rs.addLoadOption(XtextResource.OPTION_RESOLVE_ALL, Boolean.TRUE);
        return rs.getResource(URI.createFileURI(file.toString()), true);
    }

    public static List<Issue> validate(Resource r) {
        return ((XtextResource) r).getResourceServiceProvider().getResourceValidator()
                .validate(r, CheckMode.ALL, CancelIndicator.NullImpl);
    }
}
