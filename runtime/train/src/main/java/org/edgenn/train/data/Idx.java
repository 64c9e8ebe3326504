package org.edgenn.train.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader (and a small writer, for tests and tools) of the IDX format used by MNIST / Fashion-MNIST:
 * {@code 0x00 0x00 type rank}, {@code rank} big-endian int32 dimensions, then the row-major data, big-endian.
 * Type codes: 0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
 * Gzip-compressed files ({@code .gz}, detected by content) are read transparently.
 */
public final class Idx {
    private Idx() {}

    public static final int UBYTE = 0x08, BYTE = 0x09, SHORT = 0x0B, INT = 0x0C, FLOAT = 0x0D, DOUBLE = 0x0E;

    /** A decoded IDX array: type code, dimensions and values widened to float. */
    public record Array(int type, int[] dims, float[] values) {
        public int count() { return dims.length == 0 ? 0 : dims[0]; }
        /** Number of values per item (product of dims[1..]). */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) s *= dims[i];
            return s;
        }
        @Override public String toString() { return "Idx.Array[type=0x" + Integer.toHexString(type) + " dims=" + Arrays.toString(dims) + "]"; }
    }

    public static Array read(Path file) {
        if (!Files.isRegularFile(file)) throw new DataException("IDX file not found: " + file);
        byte[] bytes;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new DataException("cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            } catch (ZipException | java.io.EOFException e) {
                throw new IdxFormatException(file + ": corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
            } catch (IOException e) {
                throw new DataException("cannot decompress " + file + ": " + e.getMessage(), e);
            }
        }
        return decode(bytes, file.toString());
    }

    public static Array decode(byte[] bytes, String source) {
        if (bytes.length < 4) throw new IdxFormatException(source + ": truncated header (" + bytes.length + " bytes, need at least 4)");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new IdxFormatException(source + ": bad magic number, first two bytes must be 0 (is this an IDX file?)");
        int type = bytes[2] & 0xff;
        int width = switch (type) {
            case UBYTE, BYTE -> 1;
            case SHORT -> 2;
            case INT, FLOAT -> 4;
            case DOUBLE -> 8;
            default -> throw new IdxFormatException(source + ": unknown IDX data type code 0x" + Integer.toHexString(type));
        };
        int rank = bytes[3] & 0xff;
        if (rank == 0) throw new IdxFormatException(source + ": rank 0");
        int header = 4 + 4 * rank;
        if (bytes.length < header) throw new IdxFormatException(source + ": truncated header, need " + header + " bytes for " + rank + " dimensions, file has " + bytes.length);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        bb.position(4);
        int[] dims = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = bb.getInt();
            if (dims[i] < 0) throw new IdxFormatException(source + ": negative dimension " + dims[i]);
            n *= dims[i];
        }
        long need = n * width;
        long have = bytes.length - header;
        if (have < need) throw new IdxFormatException(source + ": truncated data, dims " + Arrays.toString(dims) + " need " + need + " bytes, file has " + have);
        if (have > need) throw new IdxFormatException(source + ": " + (have - need) + " unexpected trailing bytes after data of dims " + Arrays.toString(dims));
        if (n > Integer.MAX_VALUE) throw new IdxFormatException(source + ": too large");
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (type) {
                case UBYTE -> bb.get() & 0xff;
                case BYTE -> bb.get();
                case SHORT -> bb.getShort();
                case INT -> bb.getInt();
                case FLOAT -> bb.getFloat();
                default -> (float) bb.getDouble();
            };
        }
        return new Array(type, dims, v);
    }

    /** Writes unsigned-byte IDX data (values 0..255), uncompressed. */
    public static void writeUbyte(Path file, int[] dims, int[] values) throws IOException {
        // replaced whole or not at all, as every output (a killed writer left a truncated data set before)
        org.edgenn.runtime.io.AtomicFiles.write(file, encodeUbyte(dims, values));
    }

    public static byte[] encodeUbyte(int[] dims, int[] values) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bo)) {
            out.writeByte(0);
            out.writeByte(0);
            out.writeByte(UBYTE);
            out.writeByte(dims.length);
            for (int d : dims) out.writeInt(d);
            for (int v : values) {
                if (v < 0 || v > 255) throw new IllegalArgumentException("ubyte value out of range: " + v);
                out.writeByte(v);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bo.toByteArray();
    }
}
