package org.edgenn.ir.graph;

import java.util.List;
import java.util.Optional;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.spec.TrainingSpec;

/** Everything one or more {@code .edgenn} files declare, lowered. */
public record Program(List<Network> networks, List<AcceleratorSpec> accelerators, List<TrainingSpec> trainings) {
    public Program {
        networks = List.copyOf(networks);
        accelerators = List.copyOf(accelerators);
        trainings = List.copyOf(trainings);
    }

    public Optional<Network> network(String name) {
        return networks.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public Optional<AcceleratorSpec> accelerator(String name) {
        return accelerators.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public Optional<TrainingSpec> training(String network) {
        return trainings.stream().filter(t -> t.network().equals(network)).findFirst();
    }
}
