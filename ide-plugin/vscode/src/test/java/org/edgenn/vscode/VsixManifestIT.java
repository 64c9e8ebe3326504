package org.edgenn.vscode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The {@code .vsix} vsce packed in this build, read as VS Code reads it: the VSIX manifest's identity and engine,
 * the extension's package.json (language, grammar, entry point, setting), every file the manifest points to, and
 * the runtime dependency the entry point requires. VS Code itself is not run (it cannot be downloaded here).
 */
class VsixManifestIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, byte[]> files;

    @BeforeAll
    static void read() throws IOException {
        Path vsix = Path.of(System.getProperty("edgenn.vsix"));
        assertTrue(Files.isRegularFile(vsix), vsix + " was not packaged");
        files = new TreeMap<>();
        try (ZipFile zip = new ZipFile(vsix.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (e.isDirectory()) continue;
                try (InputStream in = zip.getInputStream(e)) {
                    files.put(e.getName(), in.readAllBytes());
                }
            }
        }
    }

    private static JsonNode json(String name) throws IOException {
        byte[] b = files.get(name);
        assertNotNull(b, name + " is not in the .vsix");
        return JSON.readTree(b);
    }

    @Test
    void vsixManifestNamesTheExtensionAndItsEngine() throws Exception {
        byte[] manifest = files.get("extension.vsixmanifest");
        assertNotNull(manifest, files.keySet().toString());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new java.io.ByteArrayInputStream(manifest));
        Element identity = (Element) doc.getElementsByTagName("Identity").item(0);
        JsonNode pkg = json("extension/package.json");
        assertEquals(pkg.get("name").asText(), identity.getAttribute("Id"));
        assertEquals(pkg.get("version").asText(), identity.getAttribute("Version"));
        assertEquals(pkg.get("publisher").asText(), identity.getAttribute("Publisher"));
        String text = new String(manifest, StandardCharsets.UTF_8);
        assertTrue(text.contains("Microsoft.VisualStudio.Code.Engine\" Value=\"" + pkg.at("/engines/vscode").asText() + "\""), text);
        assertTrue(files.containsKey("[Content_Types].xml"));
    }

    @Test
    void packageJsonContributesTheLanguageGrammarAndSetting() throws Exception {
        JsonNode pkg = json("extension/package.json");
        JsonNode language = pkg.at("/contributes/languages/0");
        assertEquals("edgenn", language.get("id").asText());
        assertEquals("[\".edgenn\"]", language.get("extensions").toString());
        JsonNode config = json(entry(language.get("configuration").asText()));
        assertEquals("//", config.at("/comments/lineComment").asText());

        JsonNode grammar = pkg.at("/contributes/grammars/0");
        assertEquals("edgenn", grammar.get("language").asText());
        JsonNode tm = json(entry(grammar.get("path").asText()));
        assertEquals(grammar.get("scopeName").asText(), tm.get("scopeName").asText());

        assertEquals("edgenn", pkg.at("/contributes/configuration/properties/edgenn.command/default").asText());
        // no activation events: VS Code activates on the contributed language (engines >= 1.74)
        assertEquals(0, pkg.get("activationEvents").size());
    }

    /** The entry point is packed, and what it requires is packed with it (vscode itself comes from VS Code). */
    @Test
    void entryPointAndItsRequiredModulesArePacked() throws Exception {
        JsonNode pkg = json("extension/package.json");
        String main = entry(pkg.get("main").asText());
        String js = new String(files.get(main), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("require\\('([^']+)'\\)").matcher(js);
        List<String> required = new ArrayList<>();
        while (m.find()) required.add(m.group(1));
        assertTrue(required.contains("vscode-languageclient/node"), required.toString());
        for (String module : required) {
            if (module.equals("vscode")) continue;
            String[] parts = module.split("/", 2);
            String dir = "extension/node_modules/" + parts[0] + "/";
            assertTrue(files.containsKey(dir + "package.json"), module + " is not packed");
            if (parts.length == 2) assertTrue(files.containsKey(dir + parts[1] + ".js"), module + ".js is not packed");
        }
        // the server command is the configured launcher with the single argument lsp
        assertTrue(js.contains("args: ['lsp']") && js.contains("getConfiguration('edgenn').get('command')"), js);
        // the packaging tool is a devDependency: it must not be shipped
        assertTrue(files.keySet().stream().noneMatch(f -> f.startsWith("extension/node_modules/@vscode/vsce")));
    }

    /** A manifest path ("./syntaxes/x.json") as its entry in the .vsix. */
    private static String entry(String path) {
        String e = "extension/" + (path.startsWith("./") ? path.substring(2) : path);
        assertTrue(files.containsKey(e), e + " is referenced by package.json but not packed");
        return e;
    }
}
