package org.edgenn.train.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A folder of PNG / JPEG images (read with {@code javax.imageio}, converted to grayscale luma
 * {@code 0.299 R + 0.587 G + 0.114 B} in [0, 1]) turned into training pairs:
 * <ul>
 *   <li>{@link #denoising}: random {@code p x p} patches, features = clean + N(0, sigma^2) noise, labels = clean;</li>
 *   <li>{@link #superResolution}: random patches, features = {@code f x f} box-down-sampled patch, labels = patch.</li>
 * </ul>
 * Arrays are NCHW with one channel. All problems (missing folder, no images, unreadable file, image smaller
 * than the patch) raise {@link DataException} before any training starts.
 */
public final class ImageFolder {
    private final List<Path> files;
    private final List<float[][]> images = new ArrayList<>();

    private ImageFolder(List<Path> files) {
        this.files = files;
        for (Path f : files) images.add(readGray(f));
    }

    public static ImageFolder open(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) throw new DataException("image folder not found: " + dir);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) throw new DataException("no PNG/JPEG images in " + dir);
        return new ImageFolder(files);
    }

    public List<Path> files() { return List.copyOf(files); }

    public int size() { return images.size(); }

    /** Grayscale image {@code i} as {@code [H][W]} in [0, 1] (a copy). */
    public float[][] image(int i) {
        float[][] g = images.get(i);
        float[][] c = new float[g.length][];
        for (int y = 0; y < g.length; y++) c[y] = g[y].clone();
        return c;
    }

    static float[][] readGray(Path f) {
        BufferedImage img;
        try {
            img = ImageIO.read(f.toFile());
        } catch (IOException e) {
            throw new DataException("cannot read image " + f + ": " + e.getMessage(), e);
        }
        if (img == null) throw new DataException("not a readable PNG/JPEG image: " + f);
        int h = img.getHeight(), w = img.getWidth();
        float[][] g = new float[h][w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff, gg = (rgb >> 8) & 0xff, b = rgb & 0xff;
                g[y][x] = (float) ((0.299 * r + 0.587 * gg + 0.114 * b) / 255.0);
            }
        return g;
    }

    private void checkPatch(int p) {
        if (p < 1) throw new DataException("patch size must be >= 1");
        for (int i = 0; i < images.size(); i++) {
            float[][] g = images.get(i);
            if (g.length < p || g[0].length < p)
                throw new DataException("image " + files.get(i) + " (" + g[0].length + "x" + g.length + ") is smaller than the patch size " + p);
        }
    }

    /** {@code count} random patches {@code [count, 1, p, p]}, images chosen round-robin. */
    public INDArray patches(int p, int count, long seed) {
        checkPatch(p);
        Random r = new Random(seed);
        float[] out = new float[count * p * p];
        for (int k = 0; k < count; k++) {
            float[][] g = images.get(k % images.size());
            int y0 = r.nextInt(g.length - p + 1), x0 = r.nextInt(g[0].length - p + 1);
            for (int y = 0; y < p; y++)
                System.arraycopy(g[y0 + y], x0, out, k * p * p + y * p, p);
        }
        return Nd4j.create(out, new long[] {count, 1, p, p}, 'c');
    }

    /** Denoising pairs: features = clean + Gaussian noise (std {@code sigma}, not clipped), labels = clean. */
    public ArrayBatches denoising(int p, int count, double sigma, int batchSize, long seed) {
        INDArray clean = patches(p, count, seed);
        Random r = new Random(seed + 1);
        float[] n = new float[(int) clean.length()];
        for (int i = 0; i < n.length; i++) n[i] = (float) (r.nextGaussian() * sigma);
        INDArray noisy = clean.add(Nd4j.create(n, clean.shape(), 'c'));
        return ArrayBatches.of(noisy, clean, batchSize, true, seed);
    }

    /** Super-resolution pairs: features = {@code factor}x box-down-sampled patch {@code [count,1,p/f,p/f]}, labels = patch. */
    public ArrayBatches superResolution(int p, int factor, int count, int batchSize, long seed) {
        if (factor < 1 || p % factor != 0) throw new DataException("patch size " + p + " must be a multiple of the scale factor " + factor);
        INDArray hi = patches(p, count, seed);
        return ArrayBatches.of(downsample(hi, factor), hi, batchSize, true, seed);
    }

    /** Box (mean) down-sampling of NCHW images by an integer factor. */
    public static INDArray downsample(INDArray x, int f) {
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        long ho = h / f, wo = w / f;
        float[] in = x.dup('c').data().asFloat();
        float[] out = new float[(int) (n * c * ho * wo)];
        for (long i = 0; i < n * c; i++)
            for (long y = 0; y < ho; y++)
                for (long xx = 0; xx < wo; xx++) {
                    double s = 0;
                    for (int dy = 0; dy < f; dy++)
                        for (int dx = 0; dx < f; dx++) s += in[(int) (i * h * w + (y * f + dy) * w + xx * f + dx)];
                    out[(int) (i * ho * wo + y * wo + xx)] = (float) (s / (f * f));
                }
        return Nd4j.create(out, new long[] {n, c, ho, wo}, 'c');
    }
}
