package org.edgenn.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ImageFolderTest {
    @TempDir Path dir;

    void writePng(String name, int w, int h, int seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int g = (x * 7 + y * 3 + seed * 11) % 256;
                img.setRGB(x, y, (g << 16) | (g << 8) | g);
            }
        assertTrue(ImageIO.write(img, "png", dir.resolve(name).toFile()));
    }

    @Test
    void producesDenoisingAndSuperResolutionPairs() throws IOException {
        writePng("a.png", 40, 32, 1);
        writePng("b.PNG", 33, 48, 2);
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        ImageFolder f = ImageFolder.open(dir);
        assertEquals(2, f.size());
        float[][] g = f.image(0);
        assertEquals(32, g.length);
        assertEquals(40, g[0].length);
        assertEquals(((3 * 7 + 2 * 3 + 11) % 256) / 255.0, g[2][3], 1e-5, "gray pixel value");

        ArrayBatches dn = f.denoising(16, 40, 0.1, 8, 3);
        assertEquals(5, dn.batchesPerEpoch());
        MultiDataSet b = dn.batch(0, 0);
        assertArrayEquals(new long[] {8, 1, 16, 16}, b.getFeatures(0).shape());
        INDArray noise = b.getFeatures(0).sub(b.getLabels(0));
        double std = Math.sqrt(noise.mul(noise).meanNumber().doubleValue());
        assertEquals(0.1, std, 0.01);
        assertTrue(b.getLabels(0).minNumber().doubleValue() >= 0 && b.getLabels(0).maxNumber().doubleValue() <= 1);

        ArrayBatches sr = f.superResolution(16, 2, 10, 5, 4);
        MultiDataSet s = sr.batch(0, 1);
        assertArrayEquals(new long[] {5, 1, 8, 8}, s.getFeatures(0).shape());
        assertArrayEquals(new long[] {5, 1, 16, 16}, s.getLabels(0).shape());
        INDArray hi = s.getLabels(0);
        double mean = (hi.getDouble(2, 0, 4, 6) + hi.getDouble(2, 0, 4, 7) + hi.getDouble(2, 0, 5, 6) + hi.getDouble(2, 0, 5, 7)) / 4;
        assertEquals(mean, s.getFeatures(0).getDouble(2, 0, 2, 3), 1e-6, "low-res pixel = mean of its 2x2 block");
    }

    @Test
    void clearErrorsBeforeTraining() throws IOException {
        assertTrue(assertThrows(DataException.class, () -> ImageFolder.open(dir.resolve("nope"))).getMessage().contains("not found"));
        assertTrue(assertThrows(DataException.class, () -> ImageFolder.open(dir)).getMessage().contains("no PNG/JPEG"));
        writePng("small.png", 10, 10, 0);
        ImageFolder f = ImageFolder.open(dir);
        assertTrue(assertThrows(DataException.class, () -> f.patches(16, 4, 1)).getMessage().contains("smaller than the patch"));
        assertThrows(DataException.class, () -> f.superResolution(9, 2, 4, 2, 1));
        Files.writeString(dir.resolve("broken.jpg"), "not a jpeg");
        assertTrue(assertThrows(DataException.class, () -> ImageFolder.open(dir)).getMessage().contains("broken.jpg"));
    }
}
