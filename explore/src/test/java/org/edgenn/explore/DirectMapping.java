package org.edgenn.explore;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.dsl.workspace.Workspace;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.ScheduleMode;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.graph.Program;

/**
 * The explore tests' reference: a candidate's own .edgenn text lowered and mapped as {@code edgenn map} does, outside
 * the explorer (no cache shared with it, no capacity repair).
 */
final class DirectMapping {
    private DirectMapping() {
    }

    static NetworkMapping of(Result r, ScheduleMode mode) throws Exception {
        XtextResourceSet set = Workspace.injector().getInstance(XtextResourceSet.class);
        Resource res = set.createResource(URI.createURI("inmemory:/candidate.edgenn"));
        res.load(new ByteArrayInputStream(r.text().getBytes(StandardCharsets.UTF_8)), null);
        Program p = Workspace.injector().getInstance(ProgramLowering.class).lowerAll(set);
        var net = p.network(r.candidate().network()).orElseThrow();
        var acc = p.accelerator(r.candidate().accelerator()).orElseThrow();
        return mode.map(IrWorkloads.graph(net, acc), acc, Objective.EDP, SearchOptions.quick().withThreads(1),
                ProgressListener.NONE, false);
    }
}
