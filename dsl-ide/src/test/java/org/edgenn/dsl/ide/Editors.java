package org.edgenn.dsl.ide;

import com.google.inject.Injector;
import org.eclipse.emf.common.util.URI;
import org.edgenn.dsl.ide.editor.EdgeNNEditorServices;
import org.edgenn.dsl.ide.editor.EditorDocument;

/** One injector for the tests, as an editor gets it; {@code |} in a text marks the cursor. */
public final class Editors {

    public static final Injector INJECTOR = new EdgeNNIdeSetup().createInjectorAndDoEMFRegistration();
    private static int files;

    public static final String LISTA = """
            accelerator Tiny16 {
              mac int8 accumulator int32
              clock 400 MHz
              axis rows 16 unrolls K
              axis cols 16 unrolls C
              memory rf size 64 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size 128 KiB bandwidth 64 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
            }
            network Lista {
              input y: f32[250]
              label x_true: f32[500]
              layer We = dense(250 -> 500, bias=false, init=dictionary_t)
              layer S[16] = dense(500 -> 500, bias=false, init=ista_s)
              param theta[16]: f32[1] = 0.1
              let b = We(y)
              state x: f32[500] = 0
              unroll 16 as k {
                x = shrink(b + S[k](x), theta[k])
              }
              output x
              loss nmse(x, x_true)
              compress {
                budget params < 4.2M
                budget latency < 5 ms on Tiny16
              }
            }
            """;

    private Editors() {
    }

    public static EdgeNNEditorServices services() {
        return INJECTOR.getInstance(EdgeNNEditorServices.class);
    }

    /** A fresh document (its own resource set) at a unique in-memory URI. */
    public static EditorDocument open(String text) {
        return services().open(URI.createURI("inmemory:/test" + (files++) + ".edgenn"), text);
    }

    public static int cursor(String marked) {
        int at = marked.indexOf('|');
        if (at < 0 || marked.indexOf('|', at + 1) >= 0) {
            throw new IllegalArgumentException("mark exactly one cursor with |");
        }
        return at;
    }
}
