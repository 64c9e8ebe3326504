package org.edgenn.generator.mapping.zigzag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.ir.accel.AcceleratorSpec;

/** ZigZag's shipped hardware and mapping files as the recorded-reference tests import them (test resources /zigzag). */
final class ZigZagFixtures {
    /** The mapping file the referee imports each hardware file with (ZigZag's own, default.yaml otherwise). */
    static final Map<String, String> MAPPING_FILE = Map.of("tpu_like", "tpu_like", "eyeriss_like", "default",
            "edge_tpu_like", "edge_tpu_like", "tesla_npu_like", "tesla_npu_like", "meta_prototype",
            "meta_prototype_like", "ascend_like", "ascend_like");

    private ZigZagFixtures() {
    }

    /** {@code hardware/hw_<hw>.yaml} imported with its mapping file, as {@code edgenn import-zigzag} does. */
    static AcceleratorSpec importHardware(String hw) {
        try {
            return DslAccelerators.parse(ZigZagImport.toEdgenn(resource("hardware/hw_" + hw + ".yaml"),
                    resource("hardware/map_" + MAPPING_FILE.get(hw) + ".yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test resource under /zigzag, as text. */
    static String resource(String name) throws IOException {
        try (InputStream in = ZigZagFixtures.class.getResourceAsStream("/zigzag/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /zigzag/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
