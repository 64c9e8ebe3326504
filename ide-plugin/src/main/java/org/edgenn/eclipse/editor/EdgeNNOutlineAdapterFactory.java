package org.edgenn.eclipse.editor;

import org.eclipse.core.runtime.IAdapterFactory;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;

/**
 * Gives the Generic Editor an outline: the 2024-03 Generic Editor has no outline extension point,
 * but its {@code getAdapter} falls back to the platform's adapter manager, where plugin.xml
 * registers this factory for {@code ExtensionBasedTextEditor}. Only editors on .edgenn files get a
 * page; for other files the Outline view says "An outline is not available".
 */
public class EdgeNNOutlineAdapterFactory implements IAdapterFactory {

    @Override
    public <T> T getAdapter(Object adaptable, Class<T> adapterType) {
        if (adapterType == IContentOutlinePage.class && adaptable instanceof ITextEditor editor
                && isEdgeNN(editor.getEditorInput())) {
            return adapterType.cast(new EdgeNNOutlinePage(editor));
        }
        return null;
    }

    @Override
    public Class<?>[] getAdapterList() {
        return new Class<?>[] {IContentOutlinePage.class};
    }

    public static boolean isEdgeNN(IEditorInput input) {
        return input != null && input.getName() != null && input.getName().endsWith(".edgenn");
    }
}
