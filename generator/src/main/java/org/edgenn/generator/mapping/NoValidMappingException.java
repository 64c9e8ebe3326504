package org.edgenn.generator.mapping;

/** No mapping of a layer fits the accelerator (e.g. a register cannot hold one partial sum). */
public final class NoValidMappingException extends IllegalArgumentException {
    public NoValidMappingException(String layer, String accelerator, String reason) {
        super("no valid mapping of layer " + layer + " on " + accelerator + ": " + reason);
    }
}
