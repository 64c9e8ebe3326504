package org.edgenn.train.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class IdxTest {
    @TempDir Path dir;

    static int[] pixels(int n) {
        int[] v = new int[n * 4 * 3];
        for (int i = 0; i < v.length; i++) v[i] = (i * 37) % 256;
        return v;
    }

    @Test
    void roundTripsUbyteFilePlainAndGzipped() throws IOException {
        int[] v = pixels(5);
        Path f = dir.resolve("imgs-idx3-ubyte");
        Idx.writeUbyte(f, new int[] {5, 4, 3}, v);
        Idx.Array a = Idx.read(f);
        assertEquals(Idx.UBYTE, a.type());
        assertArrayEquals(new int[] {5, 4, 3}, a.dims());
        assertEquals(12, a.itemSize());
        for (int i = 0; i < v.length; i++) assertEquals(v[i], a.values()[i], 0f);
        Path gz = dir.resolve("imgs-idx3-ubyte.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) { os.write(Files.readAllBytes(f)); }
        assertArrayEquals(a.values(), Idx.read(gz).values());
    }

    @Test
    void rejectsTruncatedAndCorruptFilesWithTypedErrors() throws IOException {
        byte[] good = Idx.encodeUbyte(new int[] {5, 4, 3}, pixels(5));
        Path trunc = dir.resolve("trunc");
        Files.write(trunc, Arrays.copyOf(good, good.length - 7));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(trunc));
        assertTrue(e.getMessage().contains("truncated data") && e.getMessage().contains("need 60 bytes"), e.getMessage());

        Path header = dir.resolve("header");
        Files.write(header, Arrays.copyOf(good, 9));
        assertTrue(assertThrows(IdxFormatException.class, () -> Idx.read(header)).getMessage().contains("truncated header"));

        byte[] magic = good.clone();
        magic[0] = 7;
        Files.write(dir.resolve("magic"), magic);
        assertTrue(assertThrows(IdxFormatException.class, () -> Idx.read(dir.resolve("magic"))).getMessage().contains("bad magic"));

        byte[] type = good.clone();
        type[2] = 0x42;
        Files.write(dir.resolve("type"), type);
        assertTrue(assertThrows(IdxFormatException.class, () -> Idx.read(dir.resolve("type"))).getMessage().contains("unknown IDX data type"));

        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        Files.write(dir.resolve("trail"), trailing);
        assertTrue(assertThrows(IdxFormatException.class, () -> Idx.read(dir.resolve("trail"))).getMessage().contains("trailing"));

        byte[] gz = Arrays.copyOf(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0}, 12);
        Files.write(dir.resolve("bad.gz"), gz);
        assertThrows(IdxFormatException.class, () -> Idx.read(dir.resolve("bad.gz")));

        DataException missing = assertThrows(DataException.class, () -> Idx.read(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("not found"));
    }

    @Test
    void fashionMnistLoaderValidatesAndOneHots() throws IOException {
        Idx.writeUbyte(dir.resolve("t10k-images-idx3-ubyte"), new int[] {3, 4, 3}, Arrays.copyOf(pixels(3), 36));
        Idx.writeUbyte(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {3}, new int[] {9, 0, 4});
        FashionMnist.Split s = FashionMnist.load(dir, false);
        assertArrayEquals(new long[] {3, 1, 4, 3}, s.images().shape());
        assertArrayEquals(new int[] {9, 0, 4}, s.classes());
        assertEquals(1.0, s.labels().getDouble(0, 9), 0);
        assertEquals(3.0, s.labels().sumNumber().doubleValue(), 1e-9);
        assertEquals(37 / 255.0, s.images().getDouble(0, 0, 0, 1), 1e-6);
        // label count mismatch: clear error before training
        Idx.writeUbyte(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {2}, new int[] {1, 2});
        DataException e = assertThrows(DataException.class, () -> FashionMnist.load(dir, false));
        assertTrue(e.getMessage().contains("image count 3") && e.getMessage().contains("label count 2"), e.getMessage());
        assertThrows(DataException.class, () -> FashionMnist.load(dir, true), "train files absent");
        assertThrows(DataException.class, () -> FashionMnist.load(dir.resolve("missing"), false));
    }

    @Test
    void readsDebianFashionMnistTestSplitWhenInstalled() {
        Path d = FashionMnist.locate();
        Assumptions.assumeTrue(d != null && Files.exists(d.resolve("t10k-labels-idx1-ubyte.gz")),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist); skipping the real-data check");
        FashionMnist.Split s = FashionMnist.load(d, false);
        assertArrayEquals(new long[] {10000, 1, 28, 28}, s.images().shape());
        int[] counts = new int[10];
        for (int c : s.classes()) counts[c]++;
        for (int c : counts) assertEquals(1000, c);
    }
}
