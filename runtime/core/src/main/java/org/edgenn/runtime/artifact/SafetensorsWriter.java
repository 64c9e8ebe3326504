package org.edgenn.runtime.artifact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.runtime.io.AtomicFiles;

/**
 * Collects tensors and writes a safetensors file atomically: the bytes go to a temporary file in
 * the target's directory, which is forced to disk and then renamed over the target with
 * {@code ATOMIC_MOVE, REPLACE_EXISTING}; readers see the old file or the new one, never a mix.
 * Tensors are laid out contiguously in insertion order; the header is padded with spaces to a
 * multiple of 8 bytes so that the data section is 8-byte aligned.
 */
public final class SafetensorsWriter {
    private record Entry(String name, DType dtype, long[] shape, byte[] data) {}

    private static final JsonFactory JSON = new JsonFactory();
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds a tensor from raw little-endian bytes. @throws IllegalArgumentException on size mismatch or duplicate name */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, byte[] data) {
        if (name == null || name.isEmpty() || SafetensorsReader.METADATA_KEY.equals(name)) throw new IllegalArgumentException("bad tensor name: " + name);
        for (Entry e : entries) if (e.name.equals(name)) throw new IllegalArgumentException("duplicate tensor name: " + name);
        long count = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + name);
            count = Math.multiplyExact(count, d);
        }
        if (count * dtype.size() != data.length) {
            throw new IllegalArgumentException(name + ": shape needs " + count * dtype.size() + " bytes, got " + data.length);
        }
        entries.add(new Entry(name, dtype, shape.clone(), data.clone()));
        return this;
    }

    public SafetensorsWriter addInt8(String name, long[] shape, byte[] v) {
        return add(name, DType.I8, shape, v);
    }

    public SafetensorsWriter addInt32(String name, long[] shape, int[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return add(name, DType.I32, shape, b.array());
    }

    public SafetensorsWriter addFloat32(String name, long[] shape, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return add(name, DType.F32, shape, b.array());
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** The JSON header (unpadded). */
    byte[] header() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(SafetensorsReader.METADATA_KEY);
                for (Map.Entry<String, String> m : metadata.entrySet()) g.writeStringField(m.getKey(), m.getValue());
                g.writeEndObject();
            }
            long offset = 0;
            for (Entry e : entries) {
                g.writeObjectFieldStart(e.name);
                g.writeStringField("dtype", e.dtype.name());
                g.writeArrayFieldStart("shape");
                for (long d : e.shape) g.writeNumber(d);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + e.data.length);
                g.writeEndArray();
                g.writeEndObject();
                offset += e.data.length;
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Writes the file atomically (temp file in the same directory, fsync, atomic rename). */
    public void write(Path target) throws IOException {
        byte[] json = header();
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        AtomicFiles.write(target, ch -> {
            AtomicFiles.writeFully(ch, head);
            for (Entry e : entries) AtomicFiles.writeFully(ch, ByteBuffer.wrap(e.data));
        });
    }

    static String headerString(SafetensorsWriter w) throws IOException {
        return new String(w.header(), StandardCharsets.UTF_8);
    }
}
