package org.edgenn.generator.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.edgenn.generator.training.Lowered;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapper moves and stores every operand at its declared width: per-layer weight widths (2, 4, 8 bits) and a
 * 16-bit state reach the workloads, and the mapping table's weight bytes are the layer's weight count × its width / 8,
 * counted here from the network text's shapes.
 */
class DeclaredWidthMappingTest {
    @TempDir
    Path dir;

    private static final String TEXT = """
            accelerator Wide {
              mac int16 accumulator int32
              clock 400 MHz
              axis rows 16 unrolls K
              axis cols 16 unrolls C
              memory rf size 64 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size 128 KiB bandwidth 64 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
            }
            network N {
              input y: f32[50]
              layer We = dense(50 -> 100, bias=false)
              layer S[2] = dense(100 -> 100, bias=false)
              param theta[2]: f32[1] = 0.1
              let b = We(y)
              state x: f32[100] = 0
              unroll 2 as k {
                x = shrink(b + S[k](x), theta[k])
              }
              let logits = dense(x, 100 -> 7, bias=false)
              output logits
              compress {
                weights int8 per-channel
                activations int8
                weights int4 on We
                weights int2 on S
                activations int16 on x
              }
            }
            """;

    @Test
    void workloadsAndTableCarryTheDeclaredWidths() throws Exception {
        Program p = Lowered.text(dir, "n.edgenn", TEXT);
        Network net = p.network("N").orElseThrow();
        AcceleratorSpec wide = p.accelerator("Wide").orElseThrow();
        Map<String, Integer> expectedWeightBits = Map.of("We", 4, "S[0]", 2, "S[1]", 2, "logits", 8);
        Map<String, Long> params = Map.of("We", 50L * 100, "S[0]", 100L * 100, "S[1]", 100L * 100, "logits", 100L * 7);
        Map<String, Workload> byName = new HashMap<>();
        for (Workload w : IrWorkloads.of(net, wide)) {
            byName.put(w.name(), w);
        }
        assertEquals(4, byName.get("We").weightBits());
        assertEquals(2, byName.get("S[0]").weightBits());
        assertEquals(8, byName.get("logits").weightBits());
        // S[1] reads the state of step 0: 16-bit input; the input y stays 8-bit
        assertEquals(16, byName.get("S[1]").inputBits());
        assertEquals(8, byName.get("We").inputBits());
        assertEquals(16, byName.get("logits").inputBits());

        NetworkMapping m = BudgetCheck.quickMapping(net, wide);
        MappingTables.write(m, dir, "N");
        JsonNode table = new ObjectMapper().readTree(dir.resolve("N.mapping.json").toFile());
        int checked = 0;
        for (JsonNode layer : table.get("layers")) {
            String name = layer.get("name").asText();
            if (expectedWeightBits.containsKey(name)) {
                double expected = params.get(name) * expectedWeightBits.get(name) / 8.0;
                assertEquals(expected, layer.get("weightBytes").asDouble(), 0.0, name);
                assertEquals(expectedWeightBits.get(name).intValue(), layer.get("precisionBits").get("W").asInt(), name);
                checked++;
            }
        }
        assertEquals(4, checked, "every weighted layer is in the table");
    }
}
