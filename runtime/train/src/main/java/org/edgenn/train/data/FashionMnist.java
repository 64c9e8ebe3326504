package org.edgenn.train.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * (Fashion-)MNIST from local IDX files — never downloaded at run time. Default location: Debian's
 * {@code dataset-fashion-mnist} package ({@code /usr/share/datasets/fashion-mnist}); override with the
 * environment variable or system property {@code EDGENN_FASHION_MNIST}. Files may be gzip-compressed.
 */
public final class FashionMnist {
    private FashionMnist() {}

    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

    /** Images {@code [N, 1, H, W]} scaled to [0, 1] and one-hot labels {@code [N, classes]}. */
    public record Split(INDArray images, INDArray labels, int[] classes) {
        public long size() { return images.size(0); }
    }

    /** The data directory, or null when no candidate exists. */
    public static Path locate() {
        String o = System.getProperty("EDGENN_FASHION_MNIST", System.getenv("EDGENN_FASHION_MNIST"));
        for (String c : o == null ? List.of(DEBIAN_DIR) : List.of(o, DEBIAN_DIR)) {
            Path p = Paths.get(c);
            if (Files.isDirectory(p)) return p;
        }
        return null;
    }

    public static Split load(Path dir, boolean train) {
        String prefix = train ? "train" : "t10k";
        return load(find(dir, prefix + "-images-idx3-ubyte"), find(dir, prefix + "-labels-idx1-ubyte"), 10);
    }

    /** Loads and validates an image / label IDX pair. */
    public static Split load(Path imagesFile, Path labelsFile, int numClasses) {
        Idx.Array im = Idx.read(imagesFile);
        Idx.Array lb = Idx.read(labelsFile);
        if (im.dims().length != 3)
            throw new DataException(imagesFile + ": expected images of rank 3 [N, H, W], got dims " + java.util.Arrays.toString(im.dims()));
        if (lb.dims().length != 1)
            throw new DataException(labelsFile + ": expected labels of rank 1 [N], got dims " + java.util.Arrays.toString(lb.dims()));
        if (im.count() != lb.count())
            throw new DataException("image count " + im.count() + " (" + imagesFile + ") != label count " + lb.count() + " (" + labelsFile + ")");
        int n = im.count(), h = im.dims()[1], w = im.dims()[2];
        float[] px = im.values().clone();
        for (int i = 0; i < px.length; i++) px[i] /= 255f;
        float[] oh = new float[n * numClasses];
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            int c = (int) lb.values()[i];
            if (c < 0 || c >= numClasses) throw new DataException(labelsFile + ": label " + c + " at index " + i + " outside [0, " + numClasses + ")");
            oh[i * numClasses + c] = 1f;
            cls[i] = c;
        }
        return new Split(Nd4j.create(px, new long[] {n, 1, h, w}, 'c'), Nd4j.create(oh, new long[] {n, numClasses}, 'c'), cls);
    }

    private static Path find(Path dir, String base) {
        if (dir == null || !Files.isDirectory(dir))
            throw new DataException("Fashion-MNIST directory not found: " + dir + " (install Debian package dataset-fashion-mnist or set EDGENN_FASHION_MNIST)");
        for (String ext : new String[] {"", ".gz"}) {
            Path p = dir.resolve(base + ext);
            if (Files.isRegularFile(p)) return p;
        }
        throw new DataException("missing " + base + "[.gz] in " + dir);
    }
}
