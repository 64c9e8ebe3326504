package org.edgenn.dsl.ide.hover;

import com.google.inject.ImplementedBy;
import java.util.List;
import java.util.Optional;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;

/**
 * The mapping cost model as hovers see it: predicted latency and energy of some nodes of a network
 * on a target accelerator. {@code EdgeNNIdeModule} binds {@link MappedCostModel} (the mapper);
 * without a binding (plain injection) hovers show shapes, parameters and MACs only.
 */
@ImplementedBy(TargetCostModel.None.class)
public interface TargetCostModel {

    /** Cost of running the named nodes once (one inference). */
    record Cost(double seconds, double joules) {
    }

    /** Empty when this model cannot estimate (no mapping found, op not supported). */
    Optional<Cost> estimate(Network network, AcceleratorSpec target, List<String> nodeNames);

    /** The default: no cost model, so no latency or energy lines. */
    final class None implements TargetCostModel {
        @Override
        public Optional<Cost> estimate(Network network, AcceleratorSpec target, List<String> nodeNames) {
            return Optional.empty();
        }
    }
}
