package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgenn verify --mapping} on a depth-first table whose stack is not the network's: refused as bad input (exit
 * 2) naming the stack and what is wrong, before any code is generated or executed. (That the stacks of a good table are
 * executed with the verdicts {@code build} gives is {@code DepthFirstVerifyTest}'s.)
 */
class VerifyMappingStacksTest {
    private static final String SOURCE = """
            package chain

            accelerator Tight {
              mac int8 accumulator int32
              clock 400 MHz
              axis rows 4 unrolls K
              axis cols 4 unrolls C
              memory rf size 64 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size 2 KiB bandwidth 16 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
            }

            network Chain {
              input image: f32[4, 20, 20]
              label target: f32[4, 20, 20]
              let a = relu(conv2d(image, 4 -> 8, kernel=3, padding=1))
              let b = conv2d(a, 8 -> 4, kernel=3, padding=1) + image
              output b
              loss mse(b, target)
              compress {
                weights int8 per-channel
                activations int8
              }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aStackThatIsNotTheNetworksIsABadInputNamingTheStack() throws Exception {
        Path file = dir.resolve("chain.edgenn");
        Files.writeString(file, SOURCE);
        CliRun map = CliRun.of("map", file.toString(), "--network", "Chain", "--target", "Tight", "--schedule", "depth-first",
                "--out", dir.toString());
        assertEquals(0, map.exit(), map.err());
        ObjectMapper json = new ObjectMapper();
        ObjectNode table = (ObjectNode) json.readTree(dir.resolve("Chain.mapping.json").toFile());
        ObjectNode stack = (ObjectNode) table.get("schedule").get("depthFirst").get("stacks").get(0);
        String name = stack.get("passes").get(0).asText() + ".." + stack.get("passes").get(stack.get("passes").size() - 1).asText();
        stack.put("tiles", stack.get("tiles").asInt() + 1);
        Path wrong = dir.resolve("wrong.mapping.json");
        Files.writeString(wrong, json.writeValueAsString(table));
        Path model = dir.resolve("Chain.safetensors");
        Files.write(model, new byte[0]); // never loaded: the table is refused first
        CliRun r = CliRun.of("verify", file.toString(), "--network", "Chain", "--model", model.toString(), "--target", "Tight",
                "--mapping", wrong.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        String expected = "edgenn: error: " + wrong + ": stack " + name + ": " + (stack.get("tiles").asInt()) + " tiles in the table";
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r.err());
        assertFalse(r.out().contains("verified"), r.out());
    }
}
