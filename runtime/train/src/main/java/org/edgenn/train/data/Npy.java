package org.edgenn.train.data;

import org.edgenn.runtime.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader (and a small writer) of numpy's {@code .npy} format, versions 1.0, 2.0 and 3.0:
 * the magic {@code \x93NUMPY}, two version bytes, the header length (uint16 LE in 1.0, uint32 LE after), then a
 * Python dict literal {@code {'descr': '<f8', 'fortran_order': False, 'shape': (250, 500), }} padded with
 * spaces and ended by a newline, then the raw data.
 * <p>Accepted dtypes: float32 and float64 in either byte order ({@code <f4 <f8 >f4 >f8}); anything else
 * (integers, complex, structured, object arrays) is an {@link NpyFormatException} naming the dtype.
 * Fortran-ordered data is transposed to row-major. A header with a missing or unknown key, a truncated
 * file and trailing bytes after the data are errors: a file that is not what it says is never half read.
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    public static NumericArray read(Path file) {
        if (!Files.isRegularFile(file)) throw new DataException(file + ": file not found");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return decode(bytes, file.toString());
    }

    public static NumericArray decode(byte[] bytes, String source) {
        if (bytes.length < 10) throw new NpyFormatException(source + ": truncated .npy header (" + bytes.length + " bytes)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) throw new NpyFormatException(source + ": not a .npy file (bad magic string)");
        }
        int major = bytes[6] & 0xff, minor = bytes[7] & 0xff;
        if (major < 1 || major > 3 || minor != 0)
            throw new NpyFormatException(source + ": unsupported .npy version " + major + "." + minor + " (1.0, 2.0, 3.0 are)");
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            start = 10;
        } else {
            if (bytes.length < 12) throw new NpyFormatException(source + ": truncated .npy header (" + bytes.length + " bytes)");
            headerLen = bb.getInt(8) & 0xffffffffL;
            start = 12;
        }
        if (start + headerLen > bytes.length)
            throw new NpyFormatException(source + ": truncated .npy header (needs " + (start + headerLen) + " bytes, file has " + bytes.length + ")");
        String header = new String(bytes, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> h = new HeaderParser(header, source).dict();
        for (String k : h.keySet()) {
            if (!k.equals("descr") && !k.equals("fortran_order") && !k.equals("shape"))
                throw new NpyFormatException(source + ": unexpected key '" + k + "' in the .npy header");
        }
        Object descr = require(h, "descr", String.class, source);
        boolean fortran = require(h, "fortran_order", Boolean.class, source);
        @SuppressWarnings("unchecked") List<Long> dims = require(h, "shape", List.class, source);
        int width;
        ByteOrder order;
        switch ((String) descr) {
            case "<f4" -> { width = 4; order = ByteOrder.LITTLE_ENDIAN; }
            case "<f8" -> { width = 8; order = ByteOrder.LITTLE_ENDIAN; }
            case ">f4" -> { width = 4; order = ByteOrder.BIG_ENDIAN; }
            case ">f8" -> { width = 8; order = ByteOrder.BIG_ENDIAN; }
            default -> throw new NpyFormatException(source + ": dtype '" + descr
                    + "' is not supported (float32 '<f4' or float64 '<f8' are; save with a.astype(np.float32))");
        }
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = dims.get(i);
            if (d > Integer.MAX_VALUE) throw new NpyFormatException(source + ": dimension " + d + " too large");
            shape[i] = (int) d;
            count *= d;
            if (count > Integer.MAX_VALUE) throw new NpyFormatException(source + ": more than 2^31 values");
        }
        long have = bytes.length - start - headerLen;
        long need = count * width;
        if (have < need)
            throw new NpyFormatException(source + ": truncated data: shape " + NumericArray.shapeText(shape) + " of " + descr
                    + " needs " + need + " bytes, the file has " + have);
        if (have > need)
            throw new NpyFormatException(source + ": " + (have - need) + " unexpected bytes after the data of shape " + NumericArray.shapeText(shape));
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (start + headerLen), (int) need).slice().order(order);
        double[] raw = new double[(int) count];
        for (int i = 0; i < raw.length; i++) raw[i] = width == 4 ? data.getFloat(i * 4) : data.getDouble(i * 8);
        return new NumericArray(source, shape, fortran ? fortranToC(raw, shape) : raw);
    }

    private static <T> T require(Map<String, Object> h, String key, Class<T> type, String source) {
        Object v = h.get(key);
        if (v == null) throw new NpyFormatException(source + ": the .npy header has no '" + key + "'");
        if (!type.isInstance(v)) throw new NpyFormatException(source + ": '" + key + "' in the .npy header has the wrong type: " + v);
        return type.cast(v);
    }

    /** Column-major (first index fastest) to row-major (last index fastest). */
    static double[] fortranToC(double[] f, int[] shape) {
        double[] c = new double[f.length];
        int[] idx = new int[shape.length];
        for (int fi = 0; fi < f.length; fi++) {
            int ci = 0;
            for (int d = 0; d < shape.length; d++) ci = ci * shape[d] + idx[d];
            c[ci] = f[fi];
            for (int d = 0; d < shape.length; d++) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return c;
    }

    /** Writes row-major float32 ({@code <f4}) or float64 ({@code <f8}) data as version 1.0, atomically. */
    public static void write(Path file, int[] shape, double[] values, boolean float32) throws IOException {
        AtomicFiles.write(file, encode(shape, values, float32));
    }

    public static byte[] encode(int[] shape, double[] values, boolean float32) {
        new NumericArray("<encode>", shape, values); // validates the shape against the value count
        StringBuilder h = new StringBuilder("{'descr': '").append(float32 ? "<f4" : "<f8")
                .append("', 'fortran_order': False, 'shape': ").append(NumericArray.shapeText(shape)).append(", }");
        int total = 10 + h.length() + 1;
        int pad = (64 - total % 64) % 64;
        h.append(" ".repeat(pad)).append('\n');
        byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        int width = float32 ? 4 : 8;
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
        for (double v : values) {
            if (float32) b.putFloat((float) v); else b.putDouble(v);
        }
        return b.array();
    }

    /** The subset of Python literals a .npy header uses: a dict of str keys to str, bool and tuples of ints. */
    private static final class HeaderParser {
        private final String s;
        private final String source;
        private int i;

        HeaderParser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        Map<String, Object> dict() {
            skip();
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            skip();
            while (peek() != '}') {
                String key = string();
                if (m.containsKey(key)) throw error("duplicate key '" + key + "'");
                skip();
                expect(':');
                skip();
                m.put(key, value());
                skip();
                if (peek() == ',') { i++; skip(); } else if (peek() != '}') throw error("expected ',' or '}'");
            }
            i++;
            skip();
            if (i != s.length()) throw error("unexpected text after the dict");
            return m;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') return string();
            if (c == '(') return tuple();
            if (s.startsWith("True", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("False", i)) { i += 5; return Boolean.FALSE; }
            throw error("unsupported value");
        }

        private List<Long> tuple() {
            expect('(');
            List<Long> out = new ArrayList<>();
            skip();
            boolean comma = false;
            while (peek() != ')') {
                int from = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
                if (from == i) throw error("expected a non-negative integer in the shape");
                try {
                    out.add(Long.parseLong(s.substring(from, i)));
                } catch (NumberFormatException e) {
                    throw error("dimension too large");
                }
                if (i < s.length() && s.charAt(i) == 'L') i++; // Python 2 long literal
                skip();
                comma = false;
                if (peek() == ',') { i++; comma = true; skip(); } else if (peek() != ')') throw error("expected ',' or ')' in the shape");
            }
            if (out.size() == 1 && !comma) throw error("a one-dimensional shape needs a trailing comma, (n,)");
            i++;
            return out;
        }

        private String string() {
            char q = peek();
            if (q != '\'' && q != '"') throw error("expected a quoted string");
            int end = s.indexOf(q, i + 1);
            if (end < 0) throw error("unterminated string");
            String v = s.substring(i + 1, end);
            i = end + 1;
            return v;
        }

        private void skip() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private char peek() {
            if (i >= s.length()) throw error("header ends early");
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            i++;
        }

        private NpyFormatException error(String what) {
            return new NpyFormatException(source + ": bad .npy header at character " + i + ": " + what + " in " + s.strip());
        }
    }
}
