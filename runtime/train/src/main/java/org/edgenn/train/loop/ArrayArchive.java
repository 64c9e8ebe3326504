package org.edgenn.train.loop;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.edgenn.runtime.io.AtomicFiles;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The file format of every training checkpoint (a run's epoch checkpoints, halving's continuation points): a zip of
 * {@code meta.properties} (whose {@code format} names the kind of checkpoint) and one ND4J-serialized entry
 * {@code array/NAME} per array, written atomically. A zip, so that a truncated or foreign file fails to open rather
 * than being half read, and so that the arrays can be looked at with any zip tool.
 */
record ArrayArchive(Properties meta, Map<String, INDArray> arrays) {

    /** Writes {@code meta} with {@code format} set, and the arrays in their order, replacing {@code file} atomically. */
    static void write(Path file, String format, Properties meta, Map<String, INDArray> arrays) throws IOException {
        Properties p = new Properties();
        p.putAll(meta);
        p.setProperty("format", format);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        AtomicFiles.write(file, ch -> {
            OutputStream raw = Channels.newOutputStream(ch);
            ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(raw, 1 << 16));
            zip.setLevel(Deflater.NO_COMPRESSION);   // float arrays barely compress; time matters more
            zip.putNextEntry(new ZipEntry("meta.properties"));
            StringWriter w = new StringWriter();
            p.store(w, null);
            zip.write(w.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry("array/" + e.getKey()));
                DataOutputStream out = new DataOutputStream(zip);
                Nd4j.write(e.getValue(), out);
                out.flush();
                zip.closeEntry();
            }
            zip.finish();
            zip.flush();
        });
    }

    /**
     * Reads a checkpoint of kind {@code format}; a missing, truncated or foreign file, or one of another kind, is a
     * {@link CheckpointException} naming it.
     */
    static ArrayArchive read(Path file, String format) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry metaEntry = zip.getEntry("meta.properties");
            if (metaEntry == null) throw new CheckpointException(file + " is not an EdgeNN training checkpoint (no meta.properties)");
            Properties p = new Properties();
            try (InputStream in = zip.getInputStream(metaEntry)) {
                p.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            if (!format.equals(p.getProperty("format")))
                throw new CheckpointException(file + " is not an EdgeNN training checkpoint of format " + format);
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (!e.getName().startsWith("array/")) continue;
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(zip.getInputStream(e), 1 << 16))) {
                    arrays.put(e.getName().substring(6), Nd4j.read(in));
                }
            }
            return new ArrayArchive(p, arrays);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CheckpointException ce) throw ce;
            throw new CheckpointException("cannot read the checkpoint " + file + " (" + e.getMessage() + ")", e);
        }
    }

    /** The value of {@code key}; a missing one is a {@link CheckpointException}. */
    String required(String key) {
        String v = meta.getProperty(key);
        if (v == null) throw new CheckpointException("the checkpoint lacks '" + key + "'");
        return v;
    }
}
