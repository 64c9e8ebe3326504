import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * Run by the edgenn launcher after it builds the command line (`java StripJarSignatures.java DIR`): removes the
 * signatures of the signed jars in DIR, the copies of the Eclipse jars (Xtext, EMF, ecj, lsp4j) in cli/target/lib.
 * The JVM verifies a signed jar's every class against its digest when it loads it (14 % of the CPU of a short
 * `edgenn explore` run), and class-data sharing skips classes from signed jars, so Xtext's and EMF's could not be
 * archived. The jars in the Maven repository are untouched; only the launcher's copies change.
 */
public final class StripJarSignatures {
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");

    public static void main(String[] args) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
            for (Path jar : jars) {
                strip(jar);
            }
        }
    }

    private static void strip(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".unsigned.tmp");
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            if (in.stream().noneMatch(e -> SIGNATURE.matcher(e.getName()).matches())) {
                return;
            }
            Manifest manifest = in.getManifest();
            if (manifest != null) {
                manifest.getEntries().clear(); // the per-entry digests the signature covered
            }
            try (OutputStream file = Files.newOutputStream(tmp);
                 JarOutputStream out = manifest == null ? new JarOutputStream(file) : new JarOutputStream(file, manifest)) {
                for (Enumeration<JarEntry> en = in.entries(); en.hasMoreElements(); ) {
                    JarEntry e = en.nextElement();
                    String name = e.getName();
                    if (SIGNATURE.matcher(name).matches() || name.equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(name));
                    try (InputStream data = in.getInputStream(e)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
