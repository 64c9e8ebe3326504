package org.edgenn.dsl.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.ide.hover.MappedCostModel;
import org.edgenn.dsl.ide.hover.TargetCostModel;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.generator.mapping.BudgetCheck;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.LayerStats;
import org.junit.jupiter.api.Test;

/**
 * The hover's latency and energy are the figures {@code edgenn check} judges budgets on: the network-level schedule
 * (fused element-wise ops, tied weights loaded once), not layer by layer.
 */
class MappedHoverCostTest {

    /** LISTA with one tied S: the schedule keeps S (250 kB) on chip, so its 16 uses cost one load. */
    private static final String TIED = Editors.LISTA
            .replace("size 128 KiB", "size 512 KiB")
            .replace("layer S[16] = dense", "layer S = dense").replace("S[k](x)", "S(x)");

    private static org.edgenn.ir.graph.Network lowered(Model model, ProgramLowering lowering) {
        return lowering.lower((Network) model.getElements().stream().filter(Network.class::isInstance).findFirst()
                .orElseThrow()).network();
    }

    @Test
    void networkHoverEqualsTheBudgetChecksMappingAndNodeSharesAddUp() throws Exception {
        XtextResourceSet set = Editors.INJECTOR.getInstance(XtextResourceSet.class);
        Resource r = set.createResource(URI.createURI("inmemory:/tied.edgenn"));
        r.load(new java.io.ByteArrayInputStream(TIED.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null);
        Model model = (Model) r.getContents().get(0);
        ProgramLowering lowering = Editors.INJECTOR.getInstance(ProgramLowering.class);
        org.edgenn.ir.graph.Network net = lowered(model, lowering);
        AcceleratorSpec tiny = lowering.lower((Accelerator) model.getElements().get(0)).accelerator();

        NetworkMapping checked = BudgetCheck.quickMapping(net, tiny);
        MappedCostModel hover = new MappedCostModel();
        List<String> nodes = LayerStats.of(net).stream().map(LayerStats::name).toList();
        TargetCostModel.Cost whole = hover.estimate(net, tiny, nodes).orElseThrow();
        assertEquals(checked.totalLatencySeconds(), whole.seconds(), 1e-9 * checked.totalLatencySeconds());
        assertEquals(checked.totalEnergyPj() * 1e-12, whole.joules(), 1e-9 * checked.totalEnergyPj() * 1e-12);

        double sumSeconds = 0;
        double sumJoules = 0;
        for (String n : nodes) {
            var c = hover.estimate(net, tiny, List.of(n));
            sumSeconds += c.map(TargetCostModel.Cost::seconds).orElse(0.0);
            sumJoules += c.map(TargetCostModel.Cost::joules).orElse(0.0);
        }
        assertEquals(whole.seconds(), sumSeconds, 1e-9 * whole.seconds());
        assertEquals(whole.joules(), sumJoules, 1e-9 * whole.joules());

        // the independent reference: the same network layer by layer reloads S from DRAM at every step
        NetworkMapping lbl = NetworkMapper.map(IrWorkloads.of(net, tiny), tiny, Objective.EDP, SearchOptions.quick(),
                ProgressListener.NONE);
        assertTrue(whole.joules() < 0.5 * lbl.totalEnergyPj() * 1e-12,
                whole.joules() + " J in the schedule vs " + lbl.totalEnergyPj() * 1e-12 + " J layer by layer");
    }
}
