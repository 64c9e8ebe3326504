package org.edgenn.generator.training;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import org.edgenn.generator.GeneratedSource;
import org.edgenn.runtime.io.AtomicFiles;

/**
 * Compiles generated sources in memory through the {@code javax.tools} API and loads the classes. The compiler is
 * passed in (Eclipse JDT's {@code org.eclipse.jdt.internal.compiler.tool.EclipseCompiler} in the CLI and the tests),
 * so this module does not depend on it. The class path is the running JVM's, with manifest {@code Class-Path}
 * entries expanded (surefire and launchers use manifest-only jars).
 */
public final class InMemoryCompiler {

    /** Compilation failed: the compiler's error messages, one per line. */
    public static final class CompilationException extends Exception {
        private final List<String> errors;

        CompilationException(List<String> errors) {
            super("generated code does not compile:\n" + String.join("\n", errors));
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() {
            return errors;
        }
    }

    /** The compiled classes and the loader that defines them. */
    public record Result(ClassLoader loader, Map<String, byte[]> classes, List<String> warnings) {
        public Class<?> load(String qualifiedName) throws ClassNotFoundException {
            return Class.forName(qualifiedName, true, loader);
        }
    }

    private InMemoryCompiler() {
    }

    /**
     * Writes the sources under {@code sourceRoot} (package directories), compiles those files with {@code compiler}
     * into memory and returns a loader for the classes (parent {@code parent}). ECJ's {@code javax.tools} front end
     * reads sources from files, which is also what users see and may edit.
     */
    public static Result compile(JavaCompiler compiler, List<? extends GeneratedSource> sources, ClassLoader parent, Path sourceRoot)
            throws CompilationException, IOException {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager std = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null);
        Map<String, ByteArrayOutputStream> out = new LinkedHashMap<>();
        JavaFileManager fm = new ForwardingJavaFileManager<>(std) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        out.put(className.replace('/', '.'), bytes);
                        return bytes;
                    }
                };
            }
        };
        List<Path> files = new ArrayList<>();
        for (GeneratedSource g : sources) {
            Path f = sourceRoot.resolve(g.relativePath());
            AtomicFiles.write(f, g.source());
            files.add(f);
        }
        Iterable<? extends JavaFileObject> units = std.getJavaFileObjectsFromPaths(files);
        List<String> options = List.of("-classpath", classPath(), "-source", "17", "-target", "17", "-encoding", "UTF-8",
                "-proc:none", "-nowarn");
        StringWriter log = new StringWriter();
        boolean ok = compiler.getTask(log, fm, diagnostics, options, null, units).call();
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            String msg = (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ") + d.getMessage(Locale.ROOT);
            (d.getKind() == Diagnostic.Kind.ERROR ? errors : warnings).add(msg);
        }
        if (!ok || !errors.isEmpty()) {
            if (errors.isEmpty()) {
                errors.add(log.toString());
            }
            throw new CompilationException(errors);
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        out.forEach((k, v) -> classes.put(k, v.toByteArray()));
        ClassLoader loader = new ClassLoader(parent) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = classes.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name + " (compiled: " + classes.keySet() + ")");
                }
                return defineClass(name, b, 0, b.length);
            }
        };
        return new Result(loader, classes, warnings);
    }

    /** The running JVM's class path with manifest Class-Path entries of jars expanded. */
    public static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                expand(Path.of(e).toAbsolutePath(), entries);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void expand(Path entry, Set<String> into) {
        if (!into.add(entry.toString()) || !entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest m = jar.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp == null) {
                return;
            }
            for (String item : cp.trim().split("\\s+")) {
                if (item.isEmpty()) {
                    continue;
                }
                Path p;
                try {
                    URI u = entry.getParent().toUri().resolve(item);
                    p = "file".equals(u.getScheme()) ? Path.of(u) : entry.getParent().resolve(item);
                } catch (IllegalArgumentException ex) {
                    p = entry.getParent().resolve(item);
                }
                expand(p.toAbsolutePath().normalize(), into);
            }
        } catch (IOException e) {
            // not a readable jar: keep the entry as it is
        }
    }
}
