package org.edgenn.dsl.ide.hover;

import com.google.inject.ImplementedBy;
import java.util.List;
import java.util.Optional;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;

/**
 * Extension point for the mapping cost model: predicted latency and energy of some nodes of a
 * network on a target accelerator. The mapper (module generator, written on another branch) is
 * not a dependency of the IDE yet; until it binds an implementation (in a module mixed into
 * {@code EdgeNNIdeSetup}), hovers show shapes, parameters and MACs only.
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
