package org.edgenn.generator.mapping.zigzag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.junit.jupiter.api.Test;

class ZigZagImportTest {
    /*
     * A description in ZigZag's hardware format (written for this test, modelled on its tpu_like layout):
     * a 1 B per-PE weight register (8-bit ports, 0.08 pJ per 8-bit access = 0.08 pJ/B), a 4 B per-PE output
     * register (32-bit ports, 0.08 pJ per access = 0.02 pJ/B), a 2 Mbit buffer for I1 and O shared over both
     * array dims (1024-bit ports: 192 pJ per read = 1.5 pJ/B, 230.4 per write = 1.8 pJ/B) and DRAM.
     */
    static final String HW = """
            name: tpu_like_test
            memories:
              wreg:
                size: 8
                r_cost: 0.08
                w_cost: 0.08
                area: 0
                latency: 1
                operands: [I2]
                ports:
                  - name: r_port_1
                    type: read
                    bandwidth_min: 8
                    bandwidth_max: 8
                    allocation: [I2, tl]
                  - name: w_port_1
                    type: write
                    bandwidth_min: 8
                    bandwidth_max: 8
                    allocation: [I2, fh]
                served_dimensions: []
              oreg:
                size: 32
                r_cost: 0.08
                w_cost: 0.08
                area: 0
                latency: 1
                operands: [O]
                ports:
                  - name: r_port_1
                    type: read
                    bandwidth_min: 32
                    bandwidth_max: 32
                  - name: w_port_1
                    type: write
                    bandwidth_min: 32
                    bandwidth_max: 32
                served_dimensions: []
              sram_256KB:
                size: 2097152
                r_cost: 192
                w_cost: 230.4
                area: 0
                latency: 1
                operands: [I1, O]
                ports:
                  - name: r_port_1
                    type: read
                    bandwidth_min: 8
                    bandwidth_max: 1024
                  - name: w_port_1
                    type: write
                    bandwidth_min: 8
                    bandwidth_max: 1024
                served_dimensions: [D1, D2]
              dram:
                size: 10000000000
                r_cost: 1280
                w_cost: 1280
                area: 0
                latency: 1
                operands: [I1, I2, O]
                ports:
                  - name: rw_port_1
                    type: read_write
                    bandwidth_min: 8
                    bandwidth_max: 128
                served_dimensions: [D1, D2]
            operational_array:
              unit_energy: 0.3
              unit_area: 1
              dimensions: [D1, D2]
              sizes: [32, 16]
            """;

    static final String MAPPING = """
            - name: default
              spatial_mapping:
                D1:
                  - C, 32
                D2:
                  - K, 16
              memory_operand_links:
                O: O
                W: I2
                I: I1
            """;

    @Test
    void convertsUnitsAndStructure() {
        String text = ZigZagImport.toEdgenn(HW, MAPPING);
        AcceleratorSpec a = DslAccelerators.parse(text);
        assertEquals("TpuLikeTest", a.name());
        assertEquals(List.of(32, 16), a.axes().stream().map(x -> x.size()).toList());
        assertEquals(EnumSet.of(LoopDim.C), a.axes().get(0).unrolls());
        assertEquals(EnumSet.of(LoopDim.K), a.axes().get(1).unrolls());
        MemoryLevel wreg = a.memories().get(0);
        assertEquals(1, wreg.sizeBytes());
        assertTrue(wreg.perPe());
        assertEquals(EnumSet.of(Operand.W), wreg.holds());
        assertEquals(0.08, wreg.readPjPerByte(), 1e-12);
        MemoryLevel oreg = a.memories().get(1);
        assertEquals(4, oreg.sizeBytes());
        assertEquals(0.02, oreg.readPjPerByte(), 1e-12);
        MemoryLevel sram = a.memories().get(2);
        assertEquals(256 * 1024, sram.sizeBytes());
        assertEquals(false, sram.perPe());
        assertEquals(128, sram.bandwidthBytesPerCycle(), 1e-12);
        assertEquals(1.5, sram.readPjPerByte(), 1e-12);
        assertEquals(1.8, sram.writePjPerByte(), 1e-12);
        assertEquals(EnumSet.of(Operand.I, Operand.O), sram.holds());
        MemoryLevel dram = a.memories().get(3);
        assertTrue(dram.isUnbounded());
        assertEquals(16, dram.bandwidthBytesPerCycle(), 1e-12);
        assertEquals(80, dram.readPjPerByte(), 1e-12);
        assertTrue(text.contains("unit_energy): 0.3 pJ"), text);
    }

    @Test
    void withoutMappingEveryDimensionMayBeUnrolled() {
        AcceleratorSpec a = DslAccelerators.parse(ZigZagImport.toEdgenn(HW));
        assertEquals(EnumSet.allOf(LoopDim.class), a.axes().get(0).unrolls());
    }

    @Test
    void reportsEveryProblem() {
        String broken = HW.replace("operands: [I2]", "operands: [X9]").replace("sizes: [32, 16]", "sizes: [32]");
        ZigZagImportException e = assertThrows(ZigZagImportException.class, () -> ZigZagImport.toEdgenn(broken));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertThrows(ZigZagImportException.class, () -> ZigZagImport.toEdgenn("memories: [unclosed"));
    }
}
