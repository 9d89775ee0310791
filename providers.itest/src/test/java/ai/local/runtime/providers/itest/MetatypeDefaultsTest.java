package ai.local.runtime.providers.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the Web Console's configuration forms show: the metatype of every bundle the build makes. A default is the
 * value the runtime uses when nothing is configured, not a placeholder (-1, an empty box) resolved later; only the
 * defaults that are computed at run time (the core count, a random seed, the variant with the highest priority,
 * Ollama's own context size) stay -1 or empty, and their descriptions say so.
 */
class MetatypeDefaultsTest {
	/** Attributes whose default is computed when the component starts. */
	private static final List<String> COMPUTED = List.of("provider.llamacpp/n.threads", "provider.llamacpp/seed",
			"provider.ollama/num.ctx");

	@Test
	void formsShowTheDefaultsInUse() throws Exception {
		Map<String, String> defaults = new TreeMap<>();
		Path root = Path.of(System.getProperty("repo.root"));
		try (DirectoryStream<Path> modules = Files.newDirectoryStream(root)) {
			for (Path module : modules) {
				Path jar = module.resolve("target").resolve(module.getFileName() + "-0.1.0-SNAPSHOT.jar");
				if (Files.isRegularFile(jar)) {
					read(jar, defaults);
				}
			}
		}
		assertTrue(defaults.size() > 80, "metatype read from the bundles: " + defaults.keySet());
		assertEquals("8080", defaults.get("runtime.http/port"));
		assertEquals("127.0.0.1", defaults.get("runtime.http/host"));
		assertEquals("llama_cpp", defaults.get("runtime.http/provider.default"));
		assertEquals("4096", defaults.get("provider.llamacpp/n.ctx"));
		assertEquals("0.8", defaults.get("provider.llamacpp/temperature"));
		assertEquals("true", defaults.get("provider.llamacpp/offload.kqv"));
		assertEquals("memory", defaults.get("runtime.session/type"));
		assertEquals("2000", defaults.get("runtime.session/timeout.ms"));
		assertEquals("300000", defaults.get("provider.ollama/read.timeout.ms"));
		assertEquals("false", defaults.get("provider.vllm/forward.caller.key"));
		List<String> placeholders = new ArrayList<>();
		defaults.forEach((attribute, value) -> {
			if (value.equals("-1") && !COMPUTED.contains(attribute)) {
				placeholders.add(attribute);
			}
		});
		assertEquals(List.of(), placeholders, "attributes whose form shows -1 instead of the value in use");
	}

	/** Adds {@code pid/attribute -> default} for every OCD of the jar (the designate's PID, else the OCD id). */
	private static void read(Path jar, Map<String, String> defaults) throws Exception {
		try (JarFile file = new JarFile(jar.toFile())) {
			for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements();) {
				JarEntry entry = e.nextElement();
				if (!entry.getName().startsWith("OSGI-INF/metatype/") || !entry.getName().endsWith(".xml")) {
					continue;
				}
				Document doc = parse(file, entry);
				NodeList designates = doc.getElementsByTagName("Designate");
				NodeList ocds = doc.getElementsByTagName("OCD");
				for (int i = 0; i < ocds.getLength(); i++) {
					Element ocd = (Element) ocds.item(i);
					String pid = pid(designates, ocd.getAttribute("id"));
					NodeList ads = ocd.getElementsByTagName("AD");
					for (int j = 0; j < ads.getLength(); j++) {
						Element ad = (Element) ads.item(j);
						defaults.put(pid + "/" + ad.getAttribute("id"), ad.getAttribute("default"));
					}
				}
			}
		}
	}

	private static String pid(NodeList designates, String ocdRef) {
		for (int i = 0; i < designates.getLength(); i++) {
			Element d = (Element) designates.item(i);
			NodeList objects = d.getElementsByTagName("Object");
			if (objects.getLength() > 0 && ((Element) objects.item(0)).getAttribute("ocdref").equals(ocdRef)) {
				String pid = d.getAttribute("pid");
				return pid.isEmpty() ? d.getAttribute("factoryPid") : pid;
			}
		}
		return ocdRef;
	}

	private static Document parse(JarFile file, JarEntry entry) throws Exception {
		try (InputStream in = file.getInputStream(entry)) {
			return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
		} catch (IOException e) {
			throw new IOException(entry.getName() + ": " + e.getMessage(), e);
		}
	}
}
