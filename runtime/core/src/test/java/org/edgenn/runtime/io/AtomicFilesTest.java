package org.edgenn.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @Test
    void replacesTheFileAndLeavesNoTemporaryBehind(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("sub/table.json");
        AtomicFiles.write(f, "old");
        AtomicFiles.write(f, "new");
        assertEquals("new", Files.readString(f));
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count());
        }
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
    }

    @Test
    void aDirectoryInTheTargetsPlaceIsNamedAndKept(@TempDir Path dir) throws IOException {
        Path target = Files.createDirectory(dir.resolve("out.yaml"));
        Files.writeString(target.resolve("inside"), "kept");
        java.nio.file.FileSystemException e = assertThrows(java.nio.file.FileSystemException.class,
                () -> AtomicFiles.write(target, "text"));
        assertEquals(target.toString(), e.getFile(), "the user's path, not the temporary file's");
        assertEquals("is a directory, not a file", e.getReason());
        assertEquals("kept", Files.readString(target.resolve("inside")));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }

    @Test
    void aFailingWriterKeepsTheOldContent(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("model.safetensors");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        assertThrows(IOException.class, () -> AtomicFiles.write(f, ch -> {
            AtomicFiles.writeFully(ch, java.nio.ByteBuffer.wrap(new byte[] {9}));
            throw new IOException("disk full");
        }));
        assertEquals(3, Files.size(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void unchangedContentIsNotRewritten(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("A.java");
        assertTrue(AtomicFiles.writeIfChanged(f, "class A {}"));
        FileTime old = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(f, old);
        assertFalse(AtomicFiles.writeIfChanged(f, "class A {}"));
        assertEquals(old, Files.getLastModifiedTime(f));
        assertTrue(AtomicFiles.writeIfChanged(f, "class A { }"));
    }
}
