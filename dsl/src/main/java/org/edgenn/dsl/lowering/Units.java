package org.edgenn.dsl.lowering;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The units the language accepts, per physical quantity, with their factor to the base unit
 * (bytes, bytes/cycle, hertz, seconds, joules, joules/byte, plain counts, mm², µm²/byte).
 */
public enum Units {
    BYTES("B", 1, "KiB", 1024, "MiB", 1024 * 1024, "GiB", 1024.0 * 1024 * 1024, "KB", 1e3, "MB", 1e6, "bit", 1.0 / 8),
    BANDWIDTH("B/cycle", 1, "bit/cycle", 1.0 / 8),
    FREQUENCY("Hz", 1, "kHz", 1e3, "MHz", 1e6, "GHz", 1e9),
    TIME("s", 1, "ms", 1e-3, "us", 1e-6, "ns", 1e-9),
    ENERGY("J", 1, "mJ", 1e-3, "uJ", 1e-6, "nJ", 1e-9, "pJ", 1e-12),
    ENERGY_PER_BYTE("pJ/B", 1e-12, "fJ/B", 1e-15, "nJ/B", 1e-9, "pJ/bit", 8e-12),
    COUNT("", 1, "k", 1e3, "M", 1e6, "G", 1e9),
    /** Base unit mm², the unit chip areas are quoted in. */
    AREA("mm2", 1, "um2", 1e-6),
    /** Base unit µm² per byte. */
    AREA_PER_BYTE("um2/B", 1, "um2/bit", 8, "mm2/KiB", 1e6 / 1024, "mm2/MiB", 1e6 / (1024.0 * 1024));

    private final Map<String, Double> factors = new LinkedHashMap<>();

    Units(Object... unitsAndFactors) {
        for (int i = 0; i < unitsAndFactors.length; i += 2) {
            factors.put((String) unitsAndFactors[i], ((Number) unitsAndFactors[i + 1]).doubleValue());
        }
    }

    /** The factor to the base unit, or null when {@code unit} is not one of this quantity's. */
    public Double factor(String unit) {
        return factors.get(unit == null ? "" : unit);
    }

    /** The accepted spellings, for messages: {@code B, KiB, MiB}. */
    public String spellings() {
        return String.join(", ", factors.keySet().stream().map(u -> u.isEmpty() ? "(none)" : u).toList());
    }
}
