package org.edgenn.runtime.artifact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and verifies a safetensors file: 8-byte little-endian header length N, N bytes of UTF-8
 * JSON, then the data section.
 *
 * <h2>What is verified before anything else is read (or allocated)</h2>
 * <ul>
 *   <li>the file holds the 8-byte length; {@code N ≤ }{@link #MAX_HEADER_BYTES} and
 *       {@code N ≤ fileSize − 8} (so the header buffer is bounded by the real file size);</li>
 *   <li>the header is strict UTF-8 JSON: one object whose entries are either
 *       {@code "__metadata__"} (an object of string values) or tensors with exactly the keys
 *       {@code dtype} (a known {@link DType}), {@code shape} (non-negative integers) and
 *       {@code data_offsets} ([begin, end], non-negative, begin ≤ end); no duplicate names;</li>
 *   <li>for every tensor, elements × dtype size (overflow-checked) == end − begin, and
 *       end ≤ the data section's length;</li>
 *   <li><b>gap policy</b> (as the reference implementation): sorted by begin, the tensors tile
 *       the data section exactly — no overlap, no gap, no trailing bytes.</li>
 * </ul>
 * Violations throw {@link ArtifactFormatException} with a message naming the problem. Tensor
 * data is read afterwards with positional {@link FileChannel} reads into arrays whose size the
 * verified header (bounded by the file size) fixes; a file that shrinks in between is reported
 * as truncated. Not thread-safe.
 */
public final class SafetensorsReader implements Closeable {
    /** Largest accepted JSON header (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    public static final String METADATA_KEY = "__metadata__";

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(40).build())
            .build();

    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsReader(FileChannel channel, long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and verifies; the channel stays open until {@link #close()}. */
    public static SafetensorsReader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return verify(ch, file.toString());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static SafetensorsReader verify(FileChannel ch, String where) throws IOException {
        long size = ch.size();
        if (size < 8) throw new ArtifactFormatException(where + ": truncated: " + size + " bytes, no 8-byte header length");
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, where);
        long n = lenBuf.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new ArtifactFormatException(where + ": header length " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (n > size - 8) {
            throw new ArtifactFormatException(where + ": header length " + n + " exceeds the file (" + size + " bytes): truncated or corrupt");
        }
        if (n < 2) throw new ArtifactFormatException(where + ": header of " + n + " bytes cannot hold a JSON object");
        ByteBuffer header = ByteBuffer.allocate((int) n);
        readFully(ch, header, 8, where);
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(header.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new ArtifactFormatException(where + ": header is not valid UTF-8", e);
        }
        long dataLen = size - 8 - n;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) throw new ArtifactFormatException(where + ": header is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new ArtifactFormatException(where + ": entry '" + name + "' is not an object");
                }
                if (METADATA_KEY.equals(name)) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        if (p.nextToken() != JsonToken.VALUE_STRING) {
                            throw new ArtifactFormatException(where + ": __metadata__ value of '" + key + "' is not a string");
                        }
                        metadata.put(key, p.getText());
                    }
                } else {
                    tensors.put(name, parseTensor(p, name, dataLen, where));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new ArtifactFormatException(where + ": unexpected content after the header object");
            }
        } catch (JsonProcessingException e) {
            throw new ArtifactFormatException(where + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expect = 0;
        for (TensorInfo t : sorted) {
            if (t.begin() < expect) throw new ArtifactFormatException(where + ": tensor '" + t.name() + "' overlaps the previous one at byte " + t.begin());
            if (t.begin() > expect) throw new ArtifactFormatException(where + ": gap in the data section before tensor '" + t.name() + "' (bytes " + expect + ".." + t.begin() + ")");
            expect = t.end();
        }
        if (expect != dataLen) {
            throw new ArtifactFormatException(where + ": data section has " + dataLen + " bytes but the tensors cover " + expect);
        }
        return new SafetensorsReader(ch, 8 + n, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static TensorInfo parseTensor(JsonParser p, String name, long dataLen, String where) throws IOException {
        DType dtype = null;
        long[] shape = null, offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case "dtype" -> {
                    if (v != JsonToken.VALUE_STRING) throw new ArtifactFormatException(where + ": tensor '" + name + "': dtype is not a string");
                    dtype = DType.parse(p.getText());
                    if (dtype == null) throw new ArtifactFormatException(where + ": tensor '" + name + "': unknown dtype '" + p.getText() + "'");
                }
                case "shape" -> shape = longArray(p, v, name, "shape", where, -1);
                case "data_offsets" -> offsets = longArray(p, v, name, "data_offsets", where, 2);
                default -> throw new ArtifactFormatException(where + ": tensor '" + name + "': unknown key '" + key + "'");
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw new ArtifactFormatException(where + ": tensor '" + name + "' lacks dtype, shape or data_offsets");
        }
        long begin = offsets[0], end = offsets[1];
        if (begin > end) throw new ArtifactFormatException(where + ": tensor '" + name + "': data_offsets [" + begin + ", " + end + "] decrease");
        if (end > dataLen) {
            throw new ArtifactFormatException(where + ": tensor '" + name + "': data_offsets end " + end + " beyond the data section of " + dataLen + " bytes (truncated?)");
        }
        long bytes;
        try {
            long count = 1;
            for (long d : shape) count = Math.multiplyExact(count, d);
            bytes = Math.multiplyExact(count, dtype.size());
        } catch (ArithmeticException e) {
            throw new ArtifactFormatException(where + ": tensor '" + name + "': shape size overflows");
        }
        if (bytes != end - begin) {
            throw new ArtifactFormatException(where + ": tensor '" + name + "': shape × " + dtype + " is " + bytes + " bytes but data_offsets span " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] longArray(JsonParser p, JsonToken start, String name, String key, String where, int exactLength) throws IOException {
        if (start != JsonToken.START_ARRAY) throw new ArtifactFormatException(where + ": tensor '" + name + "': " + key + " is not an array");
        List<Long> vals = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new ArtifactFormatException(where + ": tensor '" + name + "': " + key + " must hold 64-bit integers");
            }
            long v = p.getLongValue();
            if (v < 0) throw new ArtifactFormatException(where + ": tensor '" + name + "': negative value in " + key);
            if (vals.size() >= 64) throw new ArtifactFormatException(where + ": tensor '" + name + "': " + key + " has too many entries");
            vals.add(v);
        }
        if (exactLength >= 0 && vals.size() != exactLength) {
            throw new ArtifactFormatException(where + ": tensor '" + name + "': " + key + " must have " + exactLength + " entries");
        }
        return vals.stream().mapToLong(Long::longValue).toArray();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, String where) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) throw new ArtifactFormatException(where + ": truncated while reading at byte " + pos);
            pos += r;
        }
    }

    /** Tensor names in header order. */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** @throws IllegalArgumentException if there is no such tensor */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no tensor '" + name + "' in artifact (has " + tensors.keySet() + ")");
        return t;
    }

    /** The raw little-endian bytes of a tensor (any dtype). */
    public byte[] readBytes(String name) throws IOException {
        TensorInfo t = info(name);
        if (t.byteLength() > Integer.MAX_VALUE - 16) throw new ArtifactFormatException("tensor '" + name + "' too large for a Java array");
        ByteBuffer b = ByteBuffer.allocate((int) t.byteLength());
        readFully(channel, b, dataStart + t.begin(), "tensor '" + name + "'");
        return b.array();
    }

    public byte[] readInt8(String name) throws IOException {
        expect(name, DType.I8);
        return readBytes(name);
    }

    public int[] readInt32(String name) throws IOException {
        expect(name, DType.I32);
        ByteBuffer b = ByteBuffer.wrap(readBytes(name)).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }

    public float[] readFloat32(String name) throws IOException {
        expect(name, DType.F32);
        ByteBuffer b = ByteBuffer.wrap(readBytes(name)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    private void expect(String name, DType d) throws ArtifactFormatException {
        if (info(name).dtype() != d) throw new ArtifactFormatException("tensor '" + name + "' is " + info(name).dtype() + ", expected " + d);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
