package org.edgenn.explore;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One design point: a network (a family and the values of its parameters, or a plain network) on an
 * accelerator (likewise). Plain data, serializable, so that it can travel to a Spark executor; its
 * {@link #key()} names it in the cache and in every output.
 */
public record Candidate(String network, Map<String, String> networkBinding, String accelerator,
                        Map<String, String> acceleratorBinding) implements Serializable {
    public Candidate {
        networkBinding = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(networkBinding));
        acceleratorBinding = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(acceleratorBinding));
    }

    /** {@code ListaFamily($depth=4, $untied=true)@TinyFamily($rows=8)}: stable, readable, unique per design. */
    public String key() {
        return network + binding(networkBinding) + "@" + accelerator + binding(acceleratorBinding);
    }

    /** The network part of the key, {@code ListaFamily($depth=4, $untied=true)}: what training depends on. */
    public String networkKey() {
        return network + binding(networkBinding);
    }

    private static String binding(Map<String, String> b) {
        return b.isEmpty() ? "" : b.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** Every parameter value, network's first, each name prefixed by its design ({@code ListaFamily.$depth}). */
    public Map<String, String> parameters() {
        Map<String, String> all = new LinkedHashMap<>();
        networkBinding.forEach((k, v) -> all.put(network + "." + k, v));
        acceleratorBinding.forEach((k, v) -> all.put(accelerator + "." + k, v));
        return all;
    }

    @Override
    public String toString() {
        return key();
    }
}
