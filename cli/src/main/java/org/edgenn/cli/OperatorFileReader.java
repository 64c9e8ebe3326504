package org.edgenn.cli;

import java.nio.file.Path;
import org.edgenn.dsl.lowering.DataFiles;
import org.edgenn.train.data.DataException;
import org.edgenn.train.data.Operators;

/**
 * The readers training uses (numpy, MATLAB v5, text: {@link Operators#read}), offered to the language's lowering so
 * that a bad file named in a {@code .edgenn} text is a positioned error while checking, not a failure at training.
 */
public final class OperatorFileReader implements DataFiles.Reader {
    @Override
    public int[] shape(Path file, String variable) {
        try {
            return Operators.read(file, variable).shape();
        } catch (DataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
