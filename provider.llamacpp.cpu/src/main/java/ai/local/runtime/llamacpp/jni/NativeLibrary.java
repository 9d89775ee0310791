package ai.local.runtime.llamacpp.jni;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;

/**
 * Loads this bundle's libjllama into its class loader. The JVM refuses a library file that another, still
 * living, class loader has loaded, so the file is copied to a directory of its own for every activation (an
 * updated or refreshed bundle, another variant): that is what lets variants replace each other without a JVM
 * restart. java-llama.cpp finds it through {@code de.kherud.llama.lib.path}; its temp directory is pointed at
 * an empty private one, because the library deletes files named llama* and jllama* in it.
 */
final class NativeLibrary {

	private NativeLibrary() {
	}

	/** Loads the library and returns its file. */
	static Path load(Bundle bundle, File dataArea) throws IOException {
		String resource = "de/kherud/llama/" + platformFolder() + "/" + System.mapLibraryName("jllama");
		URL entry = bundle.getEntry(resource);
		if (entry == null) {
			throw new IOException("bundle " + bundle.getSymbolicName() + " has no native library for "
					+ System.getProperty("os.name") + " " + System.getProperty("os.arch") + " (" + resource + ")");
		}
		Path root = dataArea.toPath().toAbsolutePath().resolve("native");
		Files.createDirectories(root);
		deleteOld(root);
		Path dir = Files.createDirectory(root.resolve(bundle.getLastModified() + "-" + System.nanoTime()));
		Path library = dir.resolve(System.mapLibraryName("jllama"));
		try (InputStream in = entry.openStream()) {
			Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
		}
		Path scratch = Files.createDirectory(dir.resolve("tmp"));
		Properties system = System.getProperties();
		synchronized (system) {
			String oldPath = System.getProperty("de.kherud.llama.lib.path");
			String oldTmp = System.getProperty("de.kherud.llama.tmpdir");
			System.setProperty("de.kherud.llama.lib.path", dir.toString());
			System.setProperty("de.kherud.llama.tmpdir", scratch.toString());
			try {
				Class.forName("de.kherud.llama.LlamaModel", true, NativeLibrary.class.getClassLoader());
			} catch (ClassNotFoundException e) {
				throw new IOException(e);
			} finally {
				restore("de.kherud.llama.lib.path", oldPath);
				restore("de.kherud.llama.tmpdir", oldTmp);
			}
		}
		return library;
	}

	/** java-llama.cpp's folder for this platform, e.g. Linux/x86_64. */
	static String platformFolder() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		String osFolder = os.contains("mac") || os.contains("darwin") ? "Mac" : os.contains("win") ? "Windows" : "Linux";
		String archFolder = switch (arch) {
		case "amd64", "x86_64" -> "x86_64";
		case "aarch64", "arm64" -> "aarch64";
		default -> arch;
		};
		return osFolder + "/" + archFolder;
	}

	private static void restore(String key, String value) {
		if (value == null) {
			System.clearProperty(key);
		} else {
			System.setProperty(key, value);
		}
	}

	/** Copies from earlier activations: a loaded library stays mapped after its file is deleted. */
	private static void deleteOld(Path root) throws IOException {
		try (Stream<Path> old = Files.walk(root)) {
			old.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(root)).forEach(p -> p.toFile().delete());
		}
	}
}
