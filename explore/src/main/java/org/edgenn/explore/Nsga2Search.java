package org.edgenn.explore;

import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import io.jenetics.Mutator;
import io.jenetics.Phenotype;
import io.jenetics.UniformCrossover;
import io.jenetics.engine.Engine;
import io.jenetics.ext.moea.NSGA2Selector;
import io.jenetics.ext.moea.Vec;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import io.jenetics.util.Seq;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * NSGA-II (Deb et al. 2002) from Jenetics: non-dominated sorting with crowding distance selects both
 * parents and survivors. A genome is one integer chromosome, one gene per choice (network, accelerator,
 * every parameter), each gene spread over {@link #SCALE} so that one uniform crossover mixes choices
 * and a mutation draws a new value uniformly. Objectives are minimized (negated for Jenetics' Vec, which
 * maximizes); a candidate that is infeasible ranks below every feasible one. Deterministic for a seed:
 * Jenetics draws from a seeded generator, evaluation runs on the caller's thread, and candidates
 * evaluate to the same result whether computed or read from the cache.
 */
final class Nsga2Search {
    /** Divisible by every size up to 16 (and many above), so that most domains get exactly equal shares. */
    static final int SCALE = 720_720;

    private Nsga2Search() {
    }

    /**
     * Runs {@code generations} generations of {@code population}; {@code evaluate} gets each generation's new
     * candidates as one batch and returns their results in order.
     */
    static void run(Space space, List<String> objectives, int population, int generations, long seed,
                    Function<List<Candidate>, List<Result>> evaluate) {
        int[] sizes = space.geneSizes();
        Engine<IntegerGene, Vec<double[]>> engine = new Engine.Builder<IntegerGene, Vec<double[]>>(
                pop -> evaluateAll(pop, space, sizes, objectives, evaluate),
                Genotype.of(IntegerChromosome.of(0, SCALE - 1, sizes.length)))
                .populationSize(population)
                .offspringSelector(NSGA2Selector.ofVec())
                .survivorsSelector(NSGA2Selector.ofVec())
                .alterers(new UniformCrossover<>(0.5, 0.5), new Mutator<>(1.0 / sizes.length))
                .executor(Runnable::run)
                .build();
        RandomRegistry.with(new java.util.Random(seed), r -> engine.stream().limit(generations).toList());
    }

    private static ISeq<Phenotype<IntegerGene, Vec<double[]>>> evaluateAll(Seq<Phenotype<IntegerGene, Vec<double[]>>> pop,
            Space space, int[] sizes, List<String> objectives, Function<List<Candidate>, List<Result>> evaluate) {
        List<Candidate> todo = new ArrayList<>();
        for (Phenotype<IntegerGene, Vec<double[]>> p : pop) {
            if (!p.isEvaluated()) {
                todo.add(space.decode(genes(p.genotype(), sizes)));
            }
        }
        List<Result> results = evaluate.apply(todo);
        List<Phenotype<IntegerGene, Vec<double[]>>> out = new ArrayList<>();
        int i = 0;
        for (Phenotype<IntegerGene, Vec<double[]>> p : pop) {
            out.add(p.isEvaluated() ? p : p.withFitness(fitness(results.get(i++), objectives)));
        }
        return ISeq.of(out);
    }

    static int[] genes(Genotype<IntegerGene> g, int[] sizes) {
        int[] out = new int[sizes.length];
        var chromosome = g.chromosome();
        for (int i = 0; i < sizes.length; i++) {
            out[i] = (int) ((long) chromosome.get(i).intValue() * sizes[i] / SCALE);
        }
        return out;
    }

    private static Vec<double[]> fitness(Result r, List<String> objectives) {
        double[] v = new double[objectives.size()];
        for (int i = 0; i < v.length; i++) {
            double m = r.metric(objectives.get(i));
            v[i] = r.feasible() && Double.isFinite(m) ? -m : -Double.MAX_VALUE;
        }
        return Vec.of(v);
    }
}
