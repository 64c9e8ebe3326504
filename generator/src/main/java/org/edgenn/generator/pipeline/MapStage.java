package org.edgenn.generator.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.generator.mapping.BudgetCheck;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;

/**
 * The map stage as the build tools run it on every save or build: each network on every accelerator its budgets
 * name, with the quick deterministic search {@code edgenn check} uses (the CLI's {@code map} command searches fully).
 */
public final class MapStage implements Stage<MapStage.Input, List<NetworkMapping>> {

    public record Input(Program program, Network network) {
    }

    @Override
    public String name() {
        return "map";
    }

    @Override
    public List<NetworkMapping> run(Input in) {
        List<NetworkMapping> out = new ArrayList<>();
        for (AcceleratorSpec target : BudgetCheck.targets(in.network(), in.program())) {
            out.add(BudgetCheck.quickMapping(in.network(), target));
        }
        return out;
    }
}
