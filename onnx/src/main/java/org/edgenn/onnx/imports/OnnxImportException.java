package org.edgenn.onnx.imports;

/** An ONNX model the importer cannot turn into a .edgenn network; the message names every offending node. */
public final class OnnxImportException extends Exception {
    public OnnxImportException(String message) {
        super(message);
    }
}
