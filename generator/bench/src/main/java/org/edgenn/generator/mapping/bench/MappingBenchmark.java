package org.edgenn.generator.mapping.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ReferenceTargets;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.cost.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Wall time of mapping all of ResNet-18 (31 layers incl. pools and adds) with the default search options.
 * Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main MappingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class MappingBenchmark {
    @Param({"tpu", "eyeriss"})
    public String target;

    @Param({"edp"})
    public String objective;

    private List<Workload> layers;
    private AcceleratorSpec spec;

    @Setup
    public void setUp() {
        layers = ResNet18.layers();
        spec = target.equals("tpu") ? ReferenceTargets.tpuLike() : ReferenceTargets.eyerissLike();
    }

    @Benchmark
    public NetworkMapping mapResNet18() {
        return NetworkMapper.map(layers, spec, Objective.parse(objective), SearchOptions.defaults(), p -> { });
    }
}
