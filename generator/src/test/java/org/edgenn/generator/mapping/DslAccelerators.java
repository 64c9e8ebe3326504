package org.edgenn.generator.mapping;

import com.google.inject.Injector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.EdgeNNStandaloneSetup;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.lowering.AcceleratorLowering;
import org.edgenn.ir.accel.AcceleratorSpec;

/** Reads {@code .edgenn} accelerator text with the language itself (parse, validate, lower), for tests. */
public final class DslAccelerators {
    private static Injector injector;

    private DslAccelerators() {
    }

    private static synchronized Injector injector() {
        if (injector == null) {
            injector = new EdgeNNStandaloneSetup().createInjectorAndDoEMFRegistration();
        }
        return injector;
    }

    /** The single accelerator of {@code text}; fails with the diagnostics when the text has errors. */
    public static AcceleratorSpec parse(String text) {
        XtextResourceSet rs = injector().getInstance(XtextResourceSet.class);
        Resource r = rs.createResource(URI.createURI("memory:/accelerator.edgenn"));
        try {
            r.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Issue> issues = ((XtextResource) r).getResourceServiceProvider().getResourceValidator()
                .validate(r, CheckMode.ALL, CancelIndicator.NullImpl);
        if (!issues.isEmpty()) {
            throw new AssertionError("not valid .edgenn: " + issues + "\n" + text);
        }
        Accelerator a = (Accelerator) ((Model) r.getContents().get(0)).getElements().get(0);
        return AcceleratorLowering.lower(a).accelerator();
    }

    /**
     * A random small accelerator with array axes unrolling {@code rows} and {@code cols}: per-PE registers, a shared
     * buffer of random size and bandwidth, DRAM of random bandwidth (the depth-first tests' accelerators).
     */
    public static AcceleratorSpec randomSmall(Random r, int index, String rows, String cols) {
        String text = String.format(Locale.ROOT, """
                accelerator R%d {
                  mac int8 accumulator int32
                  clock 400 MHz
                  axis rows %d unrolls %s
                  axis cols %d unrolls %s
                  memory rf size %d B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
                  memory gbuf size %d B bandwidth %d B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
                  memory dram bandwidth %d B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
                }
                """, index, 2 + r.nextInt(3), rows, 2 + r.nextInt(3), cols, 16 << r.nextInt(3), 1024 << r.nextInt(4),
                8 << r.nextInt(3), 2 << r.nextInt(3));
        return parse(text);
    }
}
