package org.edgenn.dsl.ide.server;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.eclipse.emf.common.util.URI;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.xtext.ide.server.MultiRootWorkspaceConfigFactory;
import org.eclipse.xtext.util.IFileSystemScanner;
import org.eclipse.xtext.workspace.IProjectConfig;
import org.eclipse.xtext.workspace.ISourceFolder;
import org.eclipse.xtext.workspace.IWorkspaceConfig;
import org.eclipse.xtext.workspace.WorkspaceConfig;

/**
 * Workspace folders as Xtext makes them; with none, one project that contains every file and scans none: the
 * files the client opens are its whole content (they are indexed as they are opened, and their imports are
 * loaded from disk by the import-URI scope, as in any project).
 */
public class OpenFilesWorkspaceConfigFactory extends MultiRootWorkspaceConfigFactory {
    /** The project's name, as it appears in Xtext's logs. */
    public static final String PROJECT = "edgenn-open-files";

    @Override
    public IWorkspaceConfig getWorkspaceConfig(List<WorkspaceFolder> workspaceFolders) {
        if (workspaceFolders != null && !workspaceFolders.isEmpty()) return super.getWorkspaceConfig(workspaceFolders);
        WorkspaceConfig workspace = new WorkspaceConfig();
        workspace.addProject(new OpenFiles(workspace));
        return workspace;
    }

    /** The project: rooted at the file system's root (so that it contains any file: URI), with nothing to scan. */
    private static final class OpenFiles implements IProjectConfig, ISourceFolder {
        private static final URI ROOT = URI.createURI("file:///");
        private final IWorkspaceConfig workspace;

        OpenFiles(IWorkspaceConfig workspace) {
            this.workspace = workspace;
        }

        @Override
        public String getName() {
            return PROJECT;
        }

        @Override
        public URI getPath() {
            return ROOT;
        }

        @Override
        public Set<? extends ISourceFolder> getSourceFolders() {
            return Set.of(this);
        }

        @Override
        public ISourceFolder findSourceFolderContaining(URI member) {
            return this;
        }

        @Override
        public IWorkspaceConfig getWorkspaceConfig() {
            return workspace;
        }

        @Override
        public boolean contains(URI uri) {
            return true;
        }

        /** Nothing is scanned: a single file's folder may be a home directory. */
        @Override
        public List<URI> getAllResources(IFileSystemScanner scanner) {
            return Collections.emptyList();
        }
    }
}
