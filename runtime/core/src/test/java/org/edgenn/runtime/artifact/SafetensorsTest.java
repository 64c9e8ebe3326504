package org.edgenn.runtime.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    static byte[] raw(long headerLen, String json, byte[] data) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + j.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLen).put(j).put(data);
        return b.array();
    }

    static byte[] raw(String json, byte[] data) {
        return raw(json.getBytes(StandardCharsets.UTF_8).length, json, data);
    }

    Path write(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, "t", ".safetensors");
        Files.write(p, bytes);
        return p;
    }

    SafetensorsWriter sample() {
        Random r = new Random(1);
        byte[] w = new byte[4 * 3 * 3 * 2];
        r.nextBytes(w);
        return new SafetensorsWriter()
                .metadata("producer", "edgenn tests").metadata("format", "edgenn-int8-v1")
                .addInt8("conv1.weight", new long[] {4, 3, 3, 2}, w)
                .addFloat32("conv1.weight_scale", new long[] {4}, new float[] {0.1f, 0.2f, 0.3f, 0.4f})
                .addInt32("conv1.bias", new long[] {4}, new int[] {1, -2, 3, Integer.MIN_VALUE})
                .addFloat32("conv1.input_scale", new long[] {}, new float[] {0.05f})
                .addInt32("conv1.input_zero_point", new long[] {}, new int[] {-3})
                .add("empty", DType.F32, new long[] {0, 5}, new byte[0]);
    }

    @Test
    void roundTripKeepsEverything() throws IOException {
        Path p = dir.resolve("model.safetensors");
        SafetensorsWriter w = sample();
        w.write(p);
        try (SafetensorsReader r = SafetensorsReader.open(p)) {
            assertEquals(List.of("conv1.weight", "conv1.weight_scale", "conv1.bias", "conv1.input_scale", "conv1.input_zero_point", "empty"), r.names());
            assertEquals(Map.of("producer", "edgenn tests", "format", "edgenn-int8-v1"), r.metadata());
            assertArrayEquals(new long[] {4, 3, 3, 2}, r.info("conv1.weight").shape());
            assertEquals(72, r.readInt8("conv1.weight").length);
            assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, r.readFloat32("conv1.weight_scale"));
            assertArrayEquals(new int[] {1, -2, 3, Integer.MIN_VALUE}, r.readInt32("conv1.bias"));
            assertArrayEquals(new int[] {-3}, r.readInt32("conv1.input_zero_point"));
            assertEquals(0, r.readBytes("empty").length);
            assertThrows(ArtifactFormatException.class, () -> r.readInt32("conv1.weight"));
            assertThrows(IllegalArgumentException.class, () -> r.info("nope"));
        }
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "data section 8-byte aligned");
    }

    @Test
    void atomicWriteReplacesTheOldFileAndLeavesNoTemporaries() throws IOException {
        Path p = dir.resolve("m.safetensors");
        Files.writeString(p, "old content");
        sample().write(p);
        try (SafetensorsReader r = SafetensorsReader.open(p)) {
            assertEquals(6, r.names().size());
        }
        new SafetensorsWriter().addInt8("x", new long[] {2}, new byte[] {1, 2}).write(p);
        try (SafetensorsReader r = SafetensorsReader.open(p); Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("x"), r.names());
            assertEquals(List.of(p), files.toList());
        }
    }

    @Test
    void writerRejectsInconsistentTensors() {
        SafetensorsWriter w = new SafetensorsWriter();
        assertThrows(IllegalArgumentException.class, () -> w.addInt8("a", new long[] {3}, new byte[2]));
        w.addInt8("a", new long[] {2}, new byte[2]);
        assertThrows(IllegalArgumentException.class, () -> w.addInt8("a", new long[] {2}, new byte[2]));
        assertThrows(IllegalArgumentException.class, () -> w.addInt8("__metadata__", new long[] {2}, new byte[2]));
    }

    void rejects(byte[] file, String messagePart) throws IOException {
        Path p = write(file);
        ArtifactFormatException e = assertThrows(ArtifactFormatException.class, () -> SafetensorsReader.open(p).close());
        assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' should mention '" + messagePart + "'");
    }

    @Test
    void rejectsCorruptFilesWithClearMessages() throws IOException {
        String ok = "{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}";
        rejects(new byte[5], "truncated");
        rejects(raw(1L << 40, ok, new byte[2]), "exceeds the limit");
        rejects(raw(-1L, ok, new byte[2]), "exceeds the limit");
        rejects(raw(ok.length() + 100, ok, new byte[2]), "exceeds the file");
        rejects(raw(ok, new byte[1]), "beyond the data section");
        rejects(raw(ok, new byte[3]), "data section has 3 bytes");
        rejects(raw("[1,2]", new byte[0]), "not a JSON object");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}", new byte[2]), "not valid JSON");
        rejects(raw("{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]), "unknown dtype");
        rejects(raw("{\"a\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]), "span 2");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[-2],\"data_offsets\":[0,2]}}", new byte[2]), "negative");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,2]}}", new byte[2]), "overflows");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[2,0]}}", new byte[2]), "decrease");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0]}}", new byte[2]), "must have 2 entries");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2],\"x\":1}}", new byte[2]), "unknown key");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[2]}}", new byte[0]), "lacks");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]},\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]), "Duplicate");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]},\"b\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[1,3]}}", new byte[3]), "overlaps");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[1,3]}}", new byte[3]), "gap");
        rejects(raw("{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]), "not a string");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[2.5],\"data_offsets\":[0,2]}}", new byte[2]), "64-bit integers");
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,99999999999999999999999]}}", new byte[2]), "64-bit integers");
        rejects(raw("{\"a\":[[[[[[[[[[[[1]]]]]]]]]]]]}", new byte[0]), "not an object");
        byte[] bad = raw(ok, new byte[2]);
        bad[12] = (byte) 0xC3; // invalid UTF-8 sequence inside the header
        bad[13] = (byte) 0x28;
        rejects(bad, "UTF-8");
    }

    @Test
    void hugeClaimedSizesAreRejectedWithoutAllocating() throws IOException {
        // a header claiming a 2^60-byte tensor in a tiny file: rejected from the offsets, nothing allocated
        rejects(raw("{\"a\":{\"dtype\":\"I8\",\"shape\":[1152921504606846976],\"data_offsets\":[0,1152921504606846976]}}", new byte[4]), "beyond the data section");
    }

    /**
     * Fuzz: thousands of random mutations of a valid file (bit flips, byte overwrites, truncation,
     * header-length rewrites, JSON-significant characters). Only a valid read or
     * ArtifactFormatException may result; a valid read must be internally consistent.
     */
    @Test
    void fuzzedFilesFailOnlyWithTheTypedException() throws IOException {
        Path good = dir.resolve("good.safetensors");
        sample().write(good);
        byte[] base = Files.readAllBytes(good);
        Random r = new Random(20261124);
        Path p = dir.resolve("fuzz.safetensors");
        int valid = 0, rejected = 0;
        byte[] specials = "{}[],:\"0123456789-.eE \\u".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 4000; i++) {
            byte[] f = base.clone();
            int kind = r.nextInt(6);
            switch (kind) {
                case 0 -> { for (int k = 0, n = 1 + r.nextInt(4); k < n; k++) { int at = r.nextInt(f.length); f[at] ^= (byte) (1 << r.nextInt(8)); } }
                case 1 -> f = java.util.Arrays.copyOf(f, r.nextInt(f.length));
                case 2 -> { long len = switch (r.nextInt(4)) { case 0 -> r.nextLong(); case 1 -> r.nextInt(f.length + 16); case 2 -> Long.MAX_VALUE; default -> (long) r.nextInt(200) - 100 + (f.length - 8); };
                        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(0, len); }
                case 3 -> { int at = 8 + r.nextInt(Math.min(f.length - 8, 400)); f[at] = specials[r.nextInt(specials.length)]; }
                case 4 -> { int at = r.nextInt(f.length); f[at] = (byte) r.nextInt(256); }
                default -> { // duplicate a slice of the header somewhere else in it
                    int a = 8 + r.nextInt(300), b = 8 + r.nextInt(300), n = 1 + r.nextInt(20);
                    System.arraycopy(base, a, f, b, Math.min(n, f.length - b));
                }
            }
            Files.write(p, f);
            try (SafetensorsReader rd = SafetensorsReader.open(p)) {
                long total = 0;
                for (String name : rd.names()) {
                    TensorInfo t = rd.info(name);
                    byte[] data = rd.readBytes(name);
                    assertEquals(t.byteLength(), data.length);
                    assertEquals(t.elementCount() * t.dtype().size(), data.length);
                    total += data.length;
                }
                assertTrue(total <= f.length);
                valid++;
            } catch (ArtifactFormatException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                rejected++;
            } catch (Throwable t) {
                fail("mutation " + i + " (kind " + kind + ") escaped with " + t, t);
            }
        }
        assertTrue(rejected > 2000, "most mutations must be caught: " + rejected);
        assertTrue(valid > 0, "some mutations (e.g. in tensor data) stay valid: " + valid);
    }
}
