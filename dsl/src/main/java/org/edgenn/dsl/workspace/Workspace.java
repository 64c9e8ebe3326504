package org.edgenn.dsl.workspace;

import com.google.inject.Injector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.EdgeNNStandaloneSetup;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.ir.Diagnostic;
import org.edgenn.ir.graph.Program;

/**
 * The .edgenn files a tool works on (the command line's arguments, a Maven project's sources), loaded into
 * one resource set (imports resolve from disk) and validated. Unreadable input becomes a {@link Diagnostic},
 * never an exception.
 */
public final class Workspace {

    /** A file that was read and parsed. */
    public record Loaded(Path file, Resource resource) {
        public Model model() {
            return resource.getContents().isEmpty() ? null : (Model) resource.getContents().get(0);
        }
    }

    private static Injector injector;

    private final XtextResourceSet resourceSet;
    private final ProgramLowering lowering;
    private final List<Loaded> loaded = new ArrayList<>();
    private final java.util.Set<Path> validated = new java.util.HashSet<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    public Workspace() {
        Injector inj = injector();
        this.resourceSet = inj.getInstance(XtextResourceSet.class);
        this.resourceSet.addLoadOption(XtextResource.OPTION_RESOLVE_ALL, Boolean.TRUE);
        this.lowering = inj.getInstance(ProgramLowering.class);
    }

    /** The language's injector, created once per JVM (the exploration parses candidates with it). */
    public static synchronized Injector injector() {
        if (injector == null) {
            injector = new EdgeNNStandaloneSetup().createInjectorAndDoEMFRegistration();
        }
        return injector;
    }

    /**
     * Reads, parses and validates {@code file}. Returns false (with a diagnostic) when the file
     * cannot be read at all: missing, a directory, binary or not UTF-8.
     */
    public boolean load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            diagnostics.add(new Diagnostic(file, 1, 1, true, "no such file"));
            return false;
        } catch (IOException e) {
            diagnostics.add(new Diagnostic(file, 1, 1, true, "cannot read: " + (Files.isDirectory(file)
                    ? "it is a directory" : e.getMessage())));
            return false;
        }
        String text = textOf(bytes);
        if (text == null) {
            diagnostics.add(new Diagnostic(file, 1, 1, true, "not a text file: the content is binary or not UTF-8"));
            return false;
        }
        if (text.isBlank()) {
            diagnostics.add(new Diagnostic(file, 1, 1, true, "empty file: it declares nothing"));
            return false;
        }
        URI uri = URI.createFileURI(file.toAbsolutePath().normalize().toString());
        Resource resource = resourceSet.getResource(uri, false);
        if (resource == null) {
            resource = resourceSet.createResource(uri);
            try {
                resource.load(new ByteArrayInputStream(bytes), Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
            } catch (IOException e) {
                diagnostics.add(new Diagnostic(file, 1, 1, true, "cannot parse: " + e.getMessage()));
                return false;
            }
        }
        Loaded l = new Loaded(file, resource);
        loaded.add(l);
        if (resource.getErrors().isEmpty() && (l.model() == null || l.model().getElements().isEmpty())) {
            diagnostics.add(new Diagnostic(file, 1, 1, true, "the file declares nothing (no network, accelerator or train block)"));
            return true;
        }
        validate(file, resource);
        return true;
    }

    /**
     * Validates the files that the loaded ones import (the linker loaded them on demand), so that an
     * error in an imported file is reported where it is.
     */
    public void validateImports() {
        for (Resource r : List.copyOf(resourceSet.getResources())) {
            Path p = pathOf(r);
            if (p != null && !validated.contains(p)) {
                validate(p, r);
            }
        }
    }

    private void validate(Path file, Resource resource) {
        validated.add(file.toAbsolutePath().normalize());
        IResourceValidator validator = ((XtextResource) resource).getResourceServiceProvider().getResourceValidator();
        for (Issue issue : validator.validate(resource, CheckMode.ALL, CancelIndicator.NullImpl)) {
            if (issue.getSeverity() == org.eclipse.xtext.diagnostics.Severity.INFO) {
                continue;
            }
            diagnostics.add(new Diagnostic(file, orOne(issue.getLineNumber()), orOne(issue.getColumn()),
                    issue.getSeverity() == org.eclipse.xtext.diagnostics.Severity.ERROR, issue.getMessage()));
        }
    }

    private static Path pathOf(Resource r) {
        URI uri = r.getURI();
        return uri != null && uri.isFile() ? Path.of(uri.toFileString()).toAbsolutePath().normalize() : null;
    }

    private static int orOne(Integer i) {
        return i == null || i < 1 ? 1 : i;
    }

    /** The text of a file, or null when it holds NUL bytes or is not valid UTF-8. */
    private static String textOf(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    public List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::error);
    }

    public List<Loaded> loaded() {
        return List.copyOf(loaded);
    }

    /** Every file in the workspace: the loaded ones and the files they import. */
    public List<Path> files() {
        return resourceSet.getResources().stream().map(Workspace::pathOf).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * The IR of everything loaded and imported, each file once (call after the files validated
     * without errors).
     */
    public Program program() {
        return lowering.lowerAll(resourceSet);
    }

    /** True when the network was declared in one of the loaded files (not only imported by one). */
    public boolean isNamed(org.edgenn.ir.graph.Network network) {
        String file = network.source().file();
        return !file.isEmpty() && loaded.stream()
                .anyMatch(l -> l.file().toAbsolutePath().normalize().equals(Path.of(file).toAbsolutePath().normalize()));
    }
}
