package org.edgenn.generator.mapping.bench;

import java.util.List;
import java.util.Locale;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ReferenceTargets;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.cost.Workload;

/**
 * Timing main: maps ResNet-18 on a reference target and prints per-layer results and wall-clock times.
 * Args: {@code [tpu|eyeriss] [energy|latency|edp] [runs] [all|mac] [auto|exhaustive|annealing] [tables dir]}. The first run includes JIT warm-up;
 * the median of the later runs is the steady figure.
 */
public final class MapResNet18Main {
    private MapResNet18Main() {
    }

    public static void main(String[] args) {
        AcceleratorSpec spec = args.length > 0 && args[0].equals("eyeriss") ? ReferenceTargets.eyerissLike()
                : ReferenceTargets.tpuLike();
        Objective objective = Objective.parse(args.length > 1 ? args[1] : "edp");
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        boolean all = args.length <= 3 || !args[3].equals("mac");
        SearchOptions options = SearchOptions.defaults();
        if (args.length > 4) {
            options = options.withStrategy(SearchOptions.Strategy.valueOf(args[4].toUpperCase(Locale.ROOT)));
        }
        List<Workload> layers = ResNet18.layers(all);
        long[] times = new long[runs];
        NetworkMapping nm = null;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            nm = NetworkMapper.map(layers, spec, objective, options, p -> { });
            times[r] = (System.nanoTime() - t0) / 1_000_000;
        }
        for (LayerMapping l : nm.layers()) {
            System.out.printf(Locale.ROOT, "%-24s %-10s proven=%-5s E=%.4e pJ L=%.4e cyc util=%.3f evals=%d %s%n",
                    l.workload().name(), l.strategy(), l.provenOptimal(), l.cost().energyPj(),
                    l.cost().latencyCycles(), l.cost().utilization(), l.evaluated(), l.cost().mapping().compact());
        }
        System.out.printf(Locale.ROOT, "TOTAL energy %.6e pJ latency %.6e cycles EDP %.6e objective(%s) %.6e%n",
                nm.totalEnergyPj(), nm.totalLatencyCycles(), nm.totalEnergyPj() * nm.totalLatencyCycles(), objective,
                nm.objectiveValue());
        if (args.length > 5) {
            try {
                System.out.println("tables: " + org.edgenn.generator.mapping.MappingTables.write(nm,
                        java.nio.file.Path.of(args[5]), "ResNet18"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        long[] sorted = times.clone();
        java.util.Arrays.sort(sorted);
        System.out.println("wall ms per run: " + java.util.Arrays.toString(times) + " median " + sorted[runs / 2]
                + " ; " + layers.size() + " layers on " + spec.name() + ", JVM " + System.getProperty("java.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " cpus");
    }
}
