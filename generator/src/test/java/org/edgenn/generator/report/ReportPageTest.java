package org.edgenn.generator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.edgenn.generator.mapping.BudgetLine;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class ReportPageTest {

    static Document parse(String xhtml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xhtml.getBytes(StandardCharsets.UTF_8)));
    }

    static NodeList select(Document d, String xpath) throws Exception {
        return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, d, XPathConstants.NODESET);
    }

    private static BuildReport report(List<BuildReport.Check> checks) {
        return new BuildReport("Net", "net.edgenn:3", "Tiny", new BuildReport.Summary(1200, 5000, 2e-6, 3e-9, 0.25,
                "EDP", "quick"), new BuildReport.TaskMetrics("nmse_db", "int8", -20.5, -19.5,
                "Net.metrics.json", -19.25, 100),
                List.of(new BuildReport.LayerRow("a<&\"b>", "dense", "[10]", 100, 1000, "K4 x C4 | C2", 120, 2000, 0.5,
                                "ok", "ok"),
                        new BuildReport.LayerRow("flat", "flatten", "[10]", 0, 0, null, 0, 0, 0, "", ""),
                        new BuildReport.LayerRow("c", "add", "[10]", 0, 10, "K4 | OX2", 40, 800, 0.1, "ok", "skipped")),
                List.of(new TrainingRecord.Epoch(1, 0.5, -5, 1), new TrainingRecord.Epoch(2, 0.3, -9, 1),
                        new TrainingRecord.Epoch(3, Double.NaN, -12, 1)),
                List.of(new TrainingRecord.Stage(1, "x_0", 0.4, -7.5, 2), new TrainingRecord.Stage(2, "x_1", 0.2, -11.25, 3)),
                List.of(new BudgetLine("params < 4.2M", "1.2k", true),
                        new BudgetLine("latency < 1 us on Tiny", "2 us", false)),
                checks, List.of("Net.mapping.json", "src/a b/Net.java"));
    }

    @Test
    void thePageIsWellFormedAndHoldsEveryLayerChartAndBudget() throws Exception {
        String html = ReportPage.render(report(List.of(new BuildReport.Check("hardware model", true, "3 layers equal"))));
        Document d = parse(html);
        NodeList rows = select(d, "//section[@id='layers']/table/tr[td]");
        assertEquals(3, rows.getLength());
        assertEquals("a<&\"b>", select(d, "//tr[@id='layer-a<&\"b>']/td[1]").item(0).getTextContent(),
                "text is escaped and reads back unchanged");
        assertEquals("view (no work)", select(d, "//tr[@id='layer-flat']/td[6]").item(0).getTextContent());
        // two bar charts with one bar per mapped layer, two line charts over three epochs (one NaN loss left out)
        assertEquals(2, select(d, "//section[@id='layers']//svg").getLength());
        assertEquals(4, select(d, "//section[@id='layers']//svg/rect").getLength());
        assertEquals(2, select(d, "//section[@id='training']//svg/polyline").getLength());
        assertEquals(2 + 3, select(d, "//section[@id='training']//svg/circle").getLength());
        NodeList stages = select(d, "//section[@id='training']/table[@id='curriculum']/tr[td]");
        assertEquals(2, stages.getLength());
        assertTrue(stages.item(1).getTextContent().contains("-11.25 dB"), stages.item(1).getTextContent());
        NodeList budgets = select(d, "//section[@id='budgets']/table/tr[td]");
        assertEquals(2, budgets.getLength());
        assertEquals("met", budgets.item(0).getChildNodes().item(5).getTextContent());
        assertTrue(budgets.item(1).getTextContent().contains("EXCEEDED"));
        assertTrue(select(d, "//section[@id='metrics']").item(0).getTextContent().contains("-19.25 dB"));
        assertEquals("All checks passed.", select(d, "//section[@id='verification']/p").item(0).getTextContent());
    }

    @Test
    void theBarsAreProportionalToTheValues() throws Exception {
        Document d = parse(ReportPage.render(report(List.of())));
        NodeList bars = select(d, "//section[@id='layers']//svg[1]/rect");
        double a = Double.parseDouble(bars.item(0).getAttributes().getNamedItem("width").getTextContent());
        double c = Double.parseDouble(bars.item(1).getAttributes().getNamedItem("width").getTextContent());
        assertEquals(120.0 / 40.0, a / c, 1e-2);
    }

    @Test
    void aFailedCheckSaysSo() throws Exception {
        Document d = parse(ReportPage.render(report(List.of(new BuildReport.Check("access counts", false,
                "c: gbuf W reads: table 5, simulator 4")))));
        assertEquals("Verification FAILED.", select(d, "//section[@id='verification']/p").item(0).getTextContent());
    }

    @Test
    void theWriterRefusesWhatWouldNotBeWellFormed() {
        Html h = new Html().open("p");
        assertThrows(IllegalStateException.class, h::document);
        assertThrows(IllegalArgumentException.class, () -> new Html().css("a > b { }"));
        assertThrows(IllegalArgumentException.class, () -> new Html().element("p", "x", "class"));
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Html.escape("<a href=\"x\">&'\u0001"));
    }
}
