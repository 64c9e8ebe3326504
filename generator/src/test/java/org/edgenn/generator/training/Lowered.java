package org.edgenn.generator.training;

import com.google.inject.Injector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.EdgeNNStandaloneSetup;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.ir.graph.Program;

/** Test helper: parses, validates and lowers .edgenn files (the examples or inline text) to the IR. */
public final class Lowered {
    static final Path EXAMPLES = findExamples();
    private static Injector injector;

    private Lowered() {
    }

    private static Path findExamples() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/src/main/edgenn"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("examples/src/main/edgenn not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("examples/src/main/edgenn");
    }

    private static synchronized Injector injector() {
        if (injector == null) {
            injector = new EdgeNNStandaloneSetup().createInjectorAndDoEMFRegistration();
        }
        return injector;
    }

    public static Program example(String relative) {
        return file(EXAMPLES.resolve(relative));
    }

    public static Program text(Path dir, String name, String source) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve(name);
            Files.writeString(f, source, StandardCharsets.UTF_8);
            return file(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Program file(Path file) {
        XtextResourceSet rs = injector().getInstance(XtextResourceSet.class);
        rs.addLoadOption(XtextResource.OPTION_RESOLVE_ALL, Boolean.TRUE);
        try {
            Resource r = rs.createResource(URI.createFileURI(file.toAbsolutePath().normalize().toString()));
            r.load(new ByteArrayInputStream(Files.readAllBytes(file)), Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
            List<Issue> errors = new ArrayList<>();
            for (Resource each : List.copyOf(rs.getResources())) {
                for (Issue i : ((XtextResource) each).getResourceServiceProvider().getResourceValidator()
                        .validate(each, CheckMode.ALL, CancelIndicator.NullImpl)) {
                    if (i.getSeverity() == org.eclipse.xtext.diagnostics.Severity.ERROR) {
                        errors.add(i);
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw new IllegalStateException(file + ": " + errors);
            }
            List<Model> models = new ArrayList<>();
            for (Resource each : List.copyOf(rs.getResources())) {
                if (!each.getContents().isEmpty() && each.getContents().get(0) instanceof Model m) {
                    models.add(m);
                }
            }
            return injector().getInstance(ProgramLowering.class).lower(models);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
