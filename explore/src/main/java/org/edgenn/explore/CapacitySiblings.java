package org.edgenn.explore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.dsl.space.Families;
import org.edgenn.dsl.space.ParameterSpace;
import org.edgenn.dsl.workspace.Workspace;
import org.edgenn.generator.mapping.CapacityRepair;
import org.edgenn.ir.accel.AcceleratorSpec;

/**
 * The accelerators of a candidate's family that differ from its own only in smaller memories
 * ({@link CapacityRepair#fitsWithin}): every admitted binding of the family, lowered once per evaluator, in the
 * family's binding order. What a candidate's capacity repair compares with is therefore a function of the family and
 * the candidate alone, not of the strategy, the order of evaluation, the engine or a resume.
 */
final class CapacitySiblings {
    private final Template template;
    private final XtextResourceSet resources;
    private final ProgramLowering lowering;
    private final Map<String, List<Map<String, String>>> bindings = new HashMap<>();
    private final Map<String, Optional<AcceleratorSpec>> specs = new HashMap<>();
    private int serial;

    CapacitySiblings(Template template) {
        this.template = template;
        // a set of its own: the candidate being evaluated is loaded in the evaluator's, and lowering reads a whole set
        this.resources = Workspace.injector().getInstance(XtextResourceSet.class);
        this.resources.addLoadOption(XtextResource.OPTION_RESOLVE_ALL, Boolean.TRUE);
        this.lowering = Workspace.injector().getInstance(ProgramLowering.class);
    }

    /** The family's accelerators whose memories are smaller than {@code acc}'s and otherwise the same, in binding order. */
    List<AcceleratorSpec> smaller(Candidate c, AcceleratorSpec acc) {
        EObject design = template.design(c.accelerator());
        if (design == null || !Families.isFamily(design)) {
            return List.of();
        }
        List<AcceleratorSpec> out = new ArrayList<>();
        for (Map<String, String> b : bindings.computeIfAbsent(c.accelerator(), k -> ParameterSpace.of(design).bindings())) {
            if (b.equals(c.acceleratorBinding())) {
                continue;
            }
            AcceleratorSpec s = spec(c, b).orElse(null);
            if (s != null && CapacityRepair.fitsWithin(s, acc)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The accelerator of binding {@code b}, lowered from the instance text (not validated: a mapping found on it is only
     * ever re-costed on the candidate's own, validated accelerator, where it must validate again); empty when it does
     * not lower. Depends on the accelerator's binding alone, so it is cached by that.
     */
    private Optional<AcceleratorSpec> spec(Candidate c, Map<String, String> b) {
        Candidate sibling = new Candidate(c.network(), c.networkBinding(), c.accelerator(), b);
        String key = c.accelerator() + "|" + b;
        Optional<AcceleratorSpec> known = specs.get(key);
        if (known != null) {
            return known;
        }
        Path where = template.file().resolveSibling("." + template.file().getFileName() + ".sibling-" + (serial++) + ".edgenn");
        Resource r = resources.createResource(URI.createFileURI(where.toAbsolutePath().normalize().toString()));
        Optional<AcceleratorSpec> found;
        try {
            r.load(new ByteArrayInputStream(template.instance(sibling).getBytes(StandardCharsets.UTF_8)),
                    Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
            found = lowering.lowerAll(resources).accelerator(c.accelerator());
        } catch (IOException | RuntimeException e) {
            found = Optional.empty(); // not a sibling: the candidate of that binding reports its own problem
        } finally {
            r.unload();
            resources.getResources().remove(r);
        }
        specs.put(key, found);
        return found;
    }
}
