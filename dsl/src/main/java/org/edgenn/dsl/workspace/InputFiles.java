package org.edgenn.dsl.workspace;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns command-line arguments into .edgenn files: a file stays as it is, a directory means every
 * .edgenn file below it, and a pattern the shell left unexpanded ({@code examples/**}{@code /*.edgenn}
 * in a shell without globstar) is expanded here, so the command means the same in every shell.
 */
public final class InputFiles {
    private static final String EXTENSION = ".edgenn";

    /** The files, and the arguments that named none. */
    public record Expansion(List<Path> files, List<String> unmatched) {
    }

    private InputFiles() {
    }

    public static Expansion expand(List<String> args) {
        List<Path> files = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (String arg : args) {
            Path p;
            try {
                // an empty argument (an unset shell variable) was the current directory: every file below it
                p = arg.isBlank() ? null : Path.of(arg);
            } catch (java.nio.file.InvalidPathException e) {
                p = null;
            }
            if (p == null) {
                unmatched.add(arg);
                continue;
            }
            List<Path> found;
            if (Files.isDirectory(p)) {
                found = walk(p, path -> path.toString().endsWith(EXTENSION));
            } else if (!Files.exists(p) && isPattern(arg)) {
                found = glob(arg);
            } else {
                found = List.of(p); // a file, or a missing one the workspace reports
            }
            if (found.isEmpty()) {
                unmatched.add(arg);
            }
            found.stream().filter(f -> !files.contains(f)).forEach(files::add);
        }
        return new Expansion(files, unmatched);
    }

    private static boolean isPattern(String arg) {
        return arg.contains("*") || arg.contains("?") || arg.contains("[") || arg.contains("{");
    }

    private static List<Path> glob(String pattern) {
        // walk from the longest leading part without pattern characters
        String[] parts = pattern.split("/", -1);
        StringBuilder base = new StringBuilder();
        for (String part : parts) {
            if (isPattern(part)) {
                break;
            }
            base.append(part).append('/');
        }
        Path root = base.length() == 0 ? Path.of(".") : Path.of(base.toString());
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        String normalized = pattern.startsWith("./") ? pattern.substring(2) : pattern;
        PathMatcher star = FileSystems.getDefault().getPathMatcher("glob:" + normalized);
        // "a/**/b" also matches "a/b", as in shells with globstar
        PathMatcher flat = FileSystems.getDefault().getPathMatcher("glob:" + normalized.replace("**/", ""));
        return walk(root, path -> {
            Path rel = root.toString().equals(".") ? root.relativize(path) : path;
            return star.matches(rel) || flat.matches(rel);
        });
    }

    private static List<Path> walk(Path root, java.util.function.Predicate<Path> accept) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(accept).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
