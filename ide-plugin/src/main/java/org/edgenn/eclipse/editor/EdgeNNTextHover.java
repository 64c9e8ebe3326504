package org.edgenn.eclipse.editor;

import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextHover;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.edgenn.eclipse.EdgeNNDocuments;

/** Hover: output shape, parameters, MACs (and latency/energy when a cost model is bound) from dsl-ide. */
public class EdgeNNTextHover implements ITextHover {

    @Override
    public String getHoverInfo(ITextViewer viewer, IRegion region) {
        return plain(EdgeNNDocuments.with(viewer.getDocument(), d -> d.hover(region.getOffset())));
    }

    /** The default text hover shows plain text: drop the Markdown emphasis LSP clients render. */
    public static String plain(String markdown) {
        return markdown == null ? null : markdown.replace("**", "");
    }

    @Override
    public IRegion getHoverRegion(ITextViewer viewer, int offset) {
        return new Region(offset, 0);
    }
}
