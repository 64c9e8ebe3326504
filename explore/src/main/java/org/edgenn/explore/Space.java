package org.edgenn.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.eclipse.emf.ecore.EObject;
import org.edgenn.dsl.space.ParameterSpace;
import org.edgenn.ir.spec.ExploreSpec;

/**
 * The candidates of an explore block: every network design (a family's admitted bindings, or a plain
 * network as one point) on every accelerator design. Also the integer encoding NSGA-II searches: one
 * gene picks the network, one the accelerator, then one gene per parameter of every design.
 */
final class Space {
    record Design(String name, ParameterSpace space, List<Map<String, String>> bindings) {
        int genes() {
            return space.params().size();
        }
    }

    private final List<Design> networks = new ArrayList<>();
    private final List<Design> accelerators = new ArrayList<>();

    Space(Template template, ExploreSpec spec) {
        for (String n : spec.networks()) {
            networks.add(design(template, n));
        }
        for (String a : spec.accelerators()) {
            accelerators.add(design(template, a));
        }
    }

    private static Design design(Template t, String name) {
        EObject e = t.design(name);
        ParameterSpace s = e == null ? ParameterSpace.of(null) : ParameterSpace.of(e);
        return new Design(name, s, s.bindings());
    }

    List<Design> networks() {
        return networks;
    }

    List<Design> accelerators() {
        return accelerators;
    }

    /** Every admitted candidate, networks outermost, each design's first parameter varying slowest. */
    List<Candidate> grid() {
        List<Candidate> out = new ArrayList<>();
        for (Design n : networks) {
            for (Map<String, String> nb : n.bindings()) {
                for (Design a : accelerators) {
                    for (Map<String, String> ab : a.bindings()) {
                        out.add(new Candidate(n.name(), nb, a.name(), ab));
                    }
                }
            }
        }
        return out;
    }

    /** {@code n} distinct candidates drawn uniformly (all of them when the space is smaller), the same for a seed. */
    List<Candidate> random(int n, long seed) {
        List<Candidate> all = new ArrayList<>(grid());
        SplittableRandom rnd = new SplittableRandom(seed);
        int take = Math.min(n, all.size());
        for (int i = 0; i < take; i++) {
            int j = i + rnd.nextInt(all.size() - i);
            Candidate tmp = all.get(i);
            all.set(i, all.get(j));
            all.set(j, tmp);
        }
        return List.copyOf(all.subList(0, take));
    }

    /** The number of values of each gene: network choice, accelerator choice, then every design's parameters. */
    int[] geneSizes() {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(networks.size());
        sizes.add(accelerators.size());
        for (Design d : networks) {
            d.space().params().forEach(p -> sizes.add(p.values().size()));
        }
        for (Design d : accelerators) {
            d.space().params().forEach(p -> sizes.add(p.values().size()));
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The candidate a genome stands for; it may violate its family's constraints ({@link #admitted}). */
    Candidate decode(int[] genes) {
        int at = 2;
        Map<String, String> nb = Map.of();
        Map<String, String> ab = Map.of();
        for (int i = 0; i < networks.size(); i++) {
            Design d = networks.get(i);
            if (i == genes[0]) {
                nb = d.space().binding(java.util.Arrays.copyOfRange(genes, at, at + d.genes()));
            }
            at += d.genes();
        }
        for (int i = 0; i < accelerators.size(); i++) {
            Design d = accelerators.get(i);
            if (i == genes[1]) {
                ab = d.space().binding(java.util.Arrays.copyOfRange(genes, at, at + d.genes()));
            }
            at += d.genes();
        }
        return new Candidate(networks.get(genes[0]).name(), nb, accelerators.get(genes[1]).name(), ab);
    }

    /** True when both designs' constraints admit the candidate's bindings. */
    boolean admitted(Candidate c) {
        Design n = networks.stream().filter(d -> d.name().equals(c.network())).findFirst().orElseThrow();
        Design a = accelerators.stream().filter(d -> d.name().equals(c.accelerator())).findFirst().orElseThrow();
        return n.space().admits(c.networkBinding()) && a.space().admits(c.acceleratorBinding());
    }

    long size() {
        long n = 0;
        for (Design d : networks) {
            n += d.bindings().size();
        }
        long a = 0;
        for (Design d : accelerators) {
            a += d.bindings().size();
        }
        return n * a;
    }
}
