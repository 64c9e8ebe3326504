package org.edgenn.generator.mapping.zigzag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NoValidMappingException;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.runtime.cost.LoopNestSimulator;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.MappingValidator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;
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
                    allocation: ['I2, tl']
                  - name: w_port_1
                    type: write
                    bandwidth_min: 8
                    bandwidth_max: 8
                    allocation: ['I2, fh']
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
        assertEquals(128, sram.writeBandwidthBytesPerCycle(), 1e-12);
        assertEquals(1.5, sram.readPjPerByte(), 1e-12);
        assertEquals(1.8, sram.writePjPerByte(), 1e-12);
        assertEquals(EnumSet.of(Operand.I, Operand.O), sram.holds());
        MemoryLevel dram = a.memories().get(3);
        assertTrue(dram.isUnbounded());
        assertEquals(16, dram.bandwidthBytesPerCycle(), 1e-12);
        assertTrue(!dram.separatePorts(), "a read_write port is one port for reads and writes");
        assertEquals(80, dram.readPjPerByte(), 1e-12);
        // bandwidth_min: the word every transfer is charged in
        assertEquals(List.of(8, 32, 8, 8), a.memories().stream().map(MemoryLevel::wordBits).toList());
        assertEquals(0.3, a.macEnergyPj(), 1e-12);
        assertEquals(8, a.macBits());
        assertEquals(ZigZagImport.ZIGZAG_PARTIAL_SUM_BITS, a.accumulatorBits());
        assertEquals(32, DslAccelerators.parse(ZigZagImport.toEdgenn(HW, MAPPING, 32)).accumulatorBits());
    }

    @Test
    void oddWidthsAndSubByteRegistersAreImportedAsZigZagDeclaresThem() {
        // 12-bit MAC operands, a 12-bit weight register, a 24-bit output register with 24-bit words, 24-bit partial sums
        String odd = HW.replace("unit_energy: 0.3", "unit_energy: 0.3\n  input_precision: [12, 12]")
                .replace("size: 8\n", "size: 12\n").replace("bandwidth_min: 8\n        bandwidth_max: 8\n",
                        "bandwidth_min: 12\n        bandwidth_max: 12\n")
                .replace("size: 32\n", "size: 24\n").replace("bandwidth_min: 32\n        bandwidth_max: 32\n",
                        "bandwidth_min: 24\n        bandwidth_max: 24\n");
        String text = ZigZagImport.toEdgenn(odd, MAPPING, 24);
        assertTrue(text.contains("mac int12 accumulator int24"), text);
        assertTrue(!text.contains("rounded"), text);
        AcceleratorSpec a = DslAccelerators.parse(text);
        assertEquals(12, a.macBits());
        assertEquals(24, a.accumulatorBits());
        assertEquals(1.5, a.memories().get(0).sizeBytes(), 0, "12 bits, not rounded down to a byte");
        assertEquals(12, a.memories().get(0).wordBits());
        assertEquals(0.08 / 1.5, a.memories().get(0).readPjPerByte(), 1e-12, "0.08 pJ per 12-bit access");
        assertEquals(3, a.memories().get(1).sizeBytes(), 0);
        assertEquals(24, a.memories().get(1).wordBits());
        // a 4-bit register (4-bit operands, 12-bit partial sums): was refused, the language sized memories in bytes
        String four = HW.replace("unit_energy: 0.3", "unit_energy: 0.3\n  input_precision: [4, 4]")
                .replace("size: 8\n", "size: 4\n");
        AcceleratorSpec w4 = DslAccelerators.parse(ZigZagImport.toEdgenn(four, MAPPING, 12));
        assertEquals(0.5, w4.memories().get(0).sizeBytes(), 0);
        assertEquals(4, w4.macBits());
        assertEquals(12, w4.accumulatorBits());
    }

    @Test
    void widthsThatCannotWorkAreRefusedWithTheField() {
        ZigZagImportException wide = assertThrows(ZigZagImportException.class, () -> ZigZagImport.toEdgenn(
                HW.replace("unit_energy: 0.3", "unit_energy: 0.3\n  input_precision: [40, 40]"), MAPPING, 32));
        assertTrue(wide.getMessage().contains("operational_array.input_precision: 40-bit MAC operands; EdgeNN's MACs are at "
                + "most 32 bits wide"), wide.getMessage());
        ZigZagImportException narrow = assertThrows(ZigZagImportException.class, () -> ZigZagImport.toEdgenn(
                HW.replace("unit_energy: 0.3", "unit_energy: 0.3\n  input_precision: [12, 12]"), MAPPING, 16));
        assertTrue(narrow.getMessage().contains("partial sums of 16 bits cannot hold a product of two 12-bit MAC operands"),
                narrow.getMessage());
        // 32-bit partial sums and ZigZag's 2-byte output register: no partial sum ever fits it
        ZigZagImportException reg = assertThrows(ZigZagImportException.class, () -> ZigZagImport.toEdgenn(HW4, MAPPING4, 32));
        assertTrue(reg.getMessage().contains("memories.rf_o.size: 16 bits holds O but not one 32-bit partial sum"),
                reg.getMessage());
    }

    /*
     * A 4-dimensional array in ZigZag's format (written for this test, laid out like its edge_tpu_like): a
     * 1-byte weight register served along D3 and D4 (one per D1 x D2 position), a 2-byte output register
     * served along D2 (C is reduced across it), a weight SRAM and an activation SRAM shared by the array.
     */
    static final String HW4 = """
            name: four_d_test
            memories:
              rf_w:
                size: 8
                r_cost: 0.01
                w_cost: 0.01
                operands: [I2]
                ports:
                  - {name: r, type: read, bandwidth_min: 8, bandwidth_max: 8}
                  - {name: w, type: write, bandwidth_min: 8, bandwidth_max: 8}
                served_dimensions: [D3, D4]
              rf_o:
                size: 16
                r_cost: 0.02
                w_cost: 0.02
                operands: [O]
                ports:
                  - {name: r1, type: read, bandwidth_min: 16, bandwidth_max: 16}
                  - {name: r2, type: read, bandwidth_min: 16, bandwidth_max: 16}
                  - {name: w1, type: write, bandwidth_min: 16, bandwidth_max: 16}
                  - {name: w2, type: write, bandwidth_min: 16, bandwidth_max: 16}
                served_dimensions: [D2]
              sram_w:
                size: 262144
                r_cost: 22.9
                w_cost: 52.01
                operands: [I2]
                ports:
                  - {name: r, type: read, bandwidth_min: 64, bandwidth_max: 512}
                  - {name: w, type: write, bandwidth_min: 64, bandwidth_max: 512}
                served_dimensions: [D1, D2, D3, D4]
              sram_a:
                size: 16777216
                r_cost: 416.16
                w_cost: 378.4
                operands: [I1, O]
                ports:
                  - {name: r, type: read, bandwidth_min: 64, bandwidth_max: 2048}
                  - {name: w, type: write, bandwidth_min: 64, bandwidth_max: 2048}
                served_dimensions: [D1, D2, D3, D4]
              dram:
                size: 10000000000
                r_cost: 700
                w_cost: 750
                operands: [I1, I2, O]
                ports:
                  - {name: rw, type: read_write, bandwidth_min: 64, bandwidth_max: 64}
                served_dimensions: [D1, D2]
            operational_array:
              unit_energy: 0.04
              unit_area: 1
              dimensions: [D1, D2, D3, D4]
              sizes: [8, 8, 4, 4]
            """;

    static final String MAPPING4 = """
            - name: default
              spatial_mapping:
                D1: ["K, 8"]
                D2: ["C, 8"]
                D3: ["OX, 4"]
                D4: ["OY, 4"]
              memory_operand_links: {O: O, W: I2, I: I1}
            """;

    @Test
    void importsFourDimensionalArraysAndPartialSharing() {
        AcceleratorSpec a = DslAccelerators.parse(ZigZagImport.toEdgenn(HW4, MAPPING4));
        assertEquals(List.of("d1", "d2", "d3", "d4"), a.axes().stream().map(x -> x.name()).toList());
        assertEquals(8 * 8 * 4 * 4, a.peCount());
        MemoryLevel rfW = a.memories().get(0);
        assertEquals(java.util.Set.of("d3", "d4"), rfW.sharedAlong());
        assertTrue(!rfW.perPe() && rfW.sharesAlong("d3") && !rfW.sharesAlong("d1"));
        MemoryLevel rfO = a.memories().get(1);
        assertEquals(java.util.Set.of("d2"), rfO.sharedAlong());
        assertEquals(2, rfO.sizeBytes());
        assertEquals(4, rfO.bandwidthBytesPerCycle(), 1e-12, "two 16-bit read ports");
        MemoryLevel dram = a.memories().get(4);
        assertTrue(dram.sharedAlong().isEmpty() && !dram.perPe(), "the backing store is shared by the array");
        assertEquals(0.04, a.macEnergyPj(), 1e-12);
    }

    @Test
    void aThreeByThreeConvolutionMapsOnTheFourDimensionalArrayAndTheSimulatorAgrees() {
        AcceleratorSpec a = DslAccelerators.parse(ZigZagImport.toEdgenn(HW4, MAPPING4));
        Workload conv = Workload.conv("y", 1, 16, 16, 8, 8, 3, 3, 1, 1, new Workload.Precision(8, 8, 8, 16));
        LayerMapping lm = NetworkMapper.mapLayer(conv, a, Objective.EDP, SearchOptions.defaults(), p -> { });
        Mapping m = lm.cost().mapping();
        MemoryHierarchy h = MemoryHierarchy.of(a);
        assertEquals(List.of(), MappingValidator.violations(conv, h, m));
        assertEquals(8 * 8 * 4 * 4, m.spatial().usedPes(), m.toString());
        assertEquals(LoopNestSimulator.simulate(conv, h, m), lm.cost().counts());
        assertEquals(0.04 * lm.cost().paddedMacs(), lm.cost().macEnergyPj(), 1e-6, "the declared MAC energy");
    }

    @Test
    void whenNothingFitsTheMessageNamesTheLevelTheOperandAndTheBytes() {
        // 32-bit partial sums of a workload cannot live in ZigZag's 2-byte output registers: the cause of tpu_like
        // failing before (the importer now refuses such an accelerator; a workload can still declare them)
        AcceleratorSpec a = DslAccelerators.parse(ZigZagImport.toEdgenn(HW4, MAPPING4, 16));
        Workload conv = Workload.conv("y", 1, 16, 16, 8, 8, 3, 3, 1, 1, Workload.Precision.int8(32));
        NoValidMappingException e = assertThrows(NoValidMappingException.class,
                () -> NetworkMapper.mapLayer(conv, a, Objective.EDP, SearchOptions.defaults(), p -> { }));
        assertTrue(e.getMessage().contains("rf_o (2 B per instance) cannot hold even the smallest tiles: "
                + "O 1 x 32 bit = 4 B under the unrolling K8 x C8 x OX4 x OY4"), e.getMessage());
        // a 4-bit weight register and 8-bit weights: the message counts in bits
        AcceleratorSpec w4 = DslAccelerators.parse(ZigZagImport.toEdgenn(HW4.replace("size: 8\n", "size: 4\n"), MAPPING4));
        Workload conv16 = Workload.conv("y", 1, 16, 16, 8, 8, 3, 3, 1, 1, Workload.Precision.int8(16));
        NoValidMappingException e4 = assertThrows(NoValidMappingException.class,
                () -> NetworkMapper.mapLayer(conv16, w4, Objective.EDP, SearchOptions.defaults(), p -> { }));
        assertTrue(e4.getMessage().contains("rf_w (4 bit per instance) cannot hold even the smallest tiles: W 1 x 8 bit = 1 B"),
                e4.getMessage());
    }

    @Test
    void namesThatAreKeywordsAreEscaped() {
        java.util.Set<String> grammar = new java.util.TreeSet<>();
        org.eclipse.xtext.IGrammarAccess access = new org.edgenn.dsl.EdgeNNStandaloneSetup()
                .createInjectorAndDoEMFRegistration().getInstance(org.eclipse.xtext.IGrammarAccess.class);
        for (String k : org.eclipse.xtext.GrammarUtil.getAllKeywords(access.getGrammar())) {
            if (k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                grammar.add(k);
            }
        }
        assertEquals(grammar, new java.util.TreeSet<>(ZigZagImport.KEYWORDS));
        AcceleratorSpec a = DslAccelerators.parse(ZigZagImport.toEdgenn(HW.replace("sram_256KB:", "l1:")));
        assertEquals("l1", a.memories().get(2).name());
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
