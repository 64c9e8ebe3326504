package org.edgenn.explore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.edgenn.dsl.edgeNN.Element;
import org.edgenn.dsl.edgeNN.Explore;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.space.Families;
import org.edgenn.dsl.space.Instantiation;
import org.edgenn.dsl.workspace.Workspace;

/**
 * The file an exploration starts from, parsed once per thread (EMF models are not shared between
 * threads): its families, its explore block, and the concrete text of any candidate.
 */
final class Template {
    private final Path file;
    private final Model model;

    private Template(Path file, Model model) {
        this.file = file;
        this.model = model;
    }

    /** Parses {@code text} as if it were {@code file} (imports resolve from its directory). */
    static Template parse(Path file, String text) {
        XtextResourceSet rs = Workspace.injector().getInstance(XtextResourceSet.class);
        rs.addLoadOption(XtextResource.OPTION_RESOLVE_ALL, Boolean.TRUE);
        Resource r = rs.createResource(URI.createFileURI(file.toAbsolutePath().normalize().toString()));
        try {
            r.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse " + file + ": " + e.getMessage(), e);
        }
        org.eclipse.emf.ecore.util.EcoreUtil.resolveAll(rs);
        return new Template(file, (Model) r.getContents().get(0));
    }

    Path file() {
        return file;
    }

    Model model() {
        return model;
    }

    Explore explore(String name) {
        for (Element e : model.getElements()) {
            if (e instanceof Explore x && (name == null || name.equals(x.getName()))) {
                return x;
            }
        }
        return null;
    }

    List<Explore> explores() {
        return model.getElements().stream().filter(Explore.class::isInstance).map(Explore.class::cast).toList();
    }

    /** The network or accelerator of this file named {@code name}. */
    EObject design(String name) {
        for (Element e : model.getElements()) {
            if (!(e instanceof Explore) && !(e instanceof org.edgenn.dsl.edgeNN.Training) && name.equals(Families.name(e))) {
                return e;
            }
        }
        return null;
    }

    /**
     * The file with accelerator {@code accelerator} bound to {@code binding} and every other family to its first
     * binding: what an accelerator of a family lowers from, the same whatever candidate asks for it.
     */
    String acceleratorInstance(String accelerator, Map<String, String> binding) {
        return Instantiation.file(model, Map.of(design(accelerator), binding));
    }

    /** The candidate's concrete file: its network and accelerator bound, the rest of the file as written. */
    String instance(Candidate c) {
        Map<EObject, Map<String, String>> bindings = new LinkedHashMap<>();
        EObject net = design(c.network());
        EObject acc = design(c.accelerator());
        if (net != null && Families.isFamily(net)) {
            bindings.put(net, c.networkBinding());
        }
        if (acc != null && Families.isFamily(acc)) {
            bindings.put(acc, c.acceleratorBinding());
        }
        return Instantiation.file(model, bindings);
    }
}
