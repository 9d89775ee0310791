package ai.local.runtime.llama.ffm;

import static ai.local.runtime.llama.ffm.Llama.BOOL;
import static ai.local.runtime.llama.ffm.Llama.I32;
import static ai.local.runtime.llama.ffm.Llama.LINKER;
import static ai.local.runtime.llama.ffm.Llama.PTR;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * llama.cpp loaded into this process from one directory: the library, the native log routed to Java, the ggml
 * backends registered (the CPU variant best for this CPU, chosen by ggml), and the three upcalls. The libraries
 * stay loaded until the JVM exits (glibc keeps them; ggml keeps its backend registry), so a process loads one
 * release from one directory: {@link #open} refuses another, and a second open of the same directory (a new
 * revision of the engine bundle) reuses what is loaded.
 */
public final class NativeLlama {
	/** JVM-wide: which directory and release this process loaded (a system property survives class loaders). */
	private static final String LOADED = "ai.local.runtime.llama.loaded";
	private static volatile BiConsumer<Integer, String> logSink = (level, text) -> {
	};

	public final Llama api;
	public final Path dir;
	public final String release;
	/** bool (*)(void * data): true when the int at data is not 0; the data is each context's own flag. */
	public final MemorySegment abortPoll;
	/** Models loaded and not yet freed: a GPU backend may be unloaded only when none is. */
	public final AtomicInteger openModels = new AtomicInteger();

	private NativeLlama(Llama api, Path dir, String release, MemorySegment abortPoll) {
		this.api = api;
		this.dir = dir;
		this.release = release;
		this.abortPoll = abortPoll;
	}

	/** Whether this process has loaded llama.cpp (from any class loader). */
	public static boolean loadedHere() {
		return System.getProperty(LOADED) != null;
	}

	/** Where the native log goes; called on native threads, must not throw. */
	public static void logTo(BiConsumer<Integer, String> sink) {
		logSink = sink;
	}

	public static synchronized NativeLlama open(Path directory, String release) throws IOException {
		Path dir = directory.toAbsolutePath().normalize();
		String mark = dir + "|" + release;
		String loaded = System.getProperty(LOADED);
		if (loaded != null && !loaded.equals(mark)) {
			throw new IOException("this process already loaded llama.cpp " + loaded.substring(loaded.indexOf('|') + 1)
					+ " from " + loaded.substring(0, loaded.indexOf('|')) + "; restart the runtime to use " + release
					+ " from " + dir);
		}
		Path so;
		try (Stream<Path> files = Files.list(dir)) {
			so = files.filter(p -> p.getFileName().toString().matches("libllama(\\.[a-z]+)?\\.v[0-9.]+\\.so"))
					.findFirst().orElseThrow(() -> new IOException("no libllama*.so in " + dir));
		}
		noBacktrace();
		Arena forever = Arena.global();
		Llama api = new Llama(SymbolLookup.libraryLookup(so, forever));
		MemorySegment log, fatal, abort;
		try {
			MethodHandles.Lookup l = MethodHandles.lookup();
			log = LINKER.upcallStub(l.findStatic(NativeLlama.class, "onLog",
					MethodType.methodType(void.class, int.class, MemorySegment.class, MemorySegment.class)),
					FunctionDescriptor.ofVoid(I32, PTR, PTR), forever);
			fatal = LINKER.upcallStub(l.findStatic(NativeLlama.class, "onFatal",
					MethodType.methodType(void.class, MemorySegment.class)), FunctionDescriptor.ofVoid(PTR), forever);
			abort = LINKER.upcallStub(l.findStatic(NativeLlama.class, "onAbortPoll",
					MethodType.methodType(boolean.class, MemorySegment.class)), FunctionDescriptor.of(BOOL, PTR), forever);
		} catch (ReflectiveOperationException e) {
			throw new IllegalStateException(e);
		}
		api.invoke(api.llama_log_set, log, MemorySegment.NULL);
		api.invoke(api.ggml_set_abort_callback, fatal);
		if ((long) api.invoke(api.ggml_backend_dev_count) == 0) {
			try (Arena a = Arena.ofConfined()) {
				api.invoke(api.ggml_backend_load_all_from_path, a.allocateFrom(dir.toString()));
			}
		}
		if ((long) api.invoke(api.ggml_backend_dev_count) == 0) {
			throw new IOException("llama.cpp found no usable CPU backend in " + dir
					+ " (libggml-cpu-*.so for this CPU, on a filesystem that allows executing code)");
		}
		api.invoke(api.llama_backend_init);
		checkDefaults(api);
		System.setProperty(LOADED, mark);
		return new NativeLlama(api, dir, release, abort);
	}

	/** A struct layout that does not match the library would corrupt memory: check known defaults first. */
	private static void checkDefaults(Llama api) throws IOException {
		try (Arena a = Arena.ofConfined()) {
			MemorySegment c = (MemorySegment) api.invoke(api.llama_context_default_params, a);
			MemorySegment m = (MemorySegment) api.invoke(api.llama_model_default_params, a);
			boolean ok = (int) Structs.get(c, Structs.CONTEXT_PARAMS, "n_ctx") == 512
					&& (int) Structs.get(c, Structs.CONTEXT_PARAMS, "n_batch") == 2048
					&& (int) Structs.get(c, Structs.CONTEXT_PARAMS, "n_ubatch") == 512
					&& (int) Structs.get(c, Structs.CONTEXT_PARAMS, "n_seq_max") == 1
					&& (int) Structs.get(c, Structs.CONTEXT_PARAMS, "type_k") == 1
					&& (int) Structs.get(c, Structs.CONTEXT_PARAMS, "type_v") == 1
					&& (boolean) Structs.get(c, Structs.CONTEXT_PARAMS, "offload_kqv")
					&& Structs.get(c, Structs.CONTEXT_PARAMS, "samplers").equals(MemorySegment.NULL)
					&& (int) Structs.get(m, Structs.MODEL_PARAMS, "n_gpu_layers") == -1
					&& !(boolean) Structs.get(m, Structs.MODEL_PARAMS, "vocab_only");
			if (!ok) {
				throw new IOException("llama.cpp's default parameters are not where this engine expects them: the "
						+ "library is not the release the engine was built for");
			}
		}
	}

	/**
	 * libggml-base reads GGML_NO_BACKTRACE when it is loaded; unset, its std::terminate handler forks gdb onto
	 * the whole JVM before an abort.
	 */
	private static void noBacktrace() {
		MethodHandle setenv = LINKER.downcallHandle(LINKER.defaultLookup().find("setenv").orElseThrow(),
				FunctionDescriptor.of(I32, PTR, PTR, I32));
		try (Arena a = Arena.ofConfined()) {
			int unused = (int) setenv.invokeExact(a.allocateFrom("GGML_NO_BACKTRACE"), a.allocateFrom("1"), 0);
		} catch (Throwable t) {
			throw Llama.unchecked(t);
		}
	}

	private static void onLog(int level, MemorySegment text, MemorySegment user) {
		try { // an exception escaping an upcall ends the JVM
			logSink.accept(level, Llama.cString(text));
		} catch (Throwable t) {
			// nothing can be done here
		}
	}

	private static boolean onAbortPoll(MemorySegment flag) {
		return !flag.equals(MemorySegment.NULL) && flag.reinterpret(4).get(ValueLayout.JAVA_INT, 0) != 0;
	}

	/** Last words before ggml calls abort(): there is no way back into Java. */
	private static void onFatal(MemorySegment message) {
		try {
			logSink.accept(Llama.LOG_ERROR, "GGML_ABORT " + Llama.cString(message));
			System.err.println("llama.cpp aborts the process: " + Llama.cString(message));
			System.err.flush();
		} catch (Throwable t) {
			// nothing can be done here
		}
	}

	/** A persistent CPU threadpool for a context, as llama-server attaches one; null when the backend has none. */
	public MemorySegment newThreadpool(int threads) {
		MemorySegment fn = cpuProc("ggml_threadpool_new");
		if (fn.equals(MemorySegment.NULL)) {
			return null;
		}
		try (Arena a = Arena.ofConfined()) {
			MemorySegment params = (MemorySegment) api.invoke(api.ggml_threadpool_params_default, a, threads);
			return (MemorySegment) api.invoke(LINKER.downcallHandle(fn, FunctionDescriptor.of(PTR, PTR)), params);
		}
	}

	public void freeThreadpool(MemorySegment pool) {
		MemorySegment fn = cpuProc("ggml_threadpool_free");
		if (!fn.equals(MemorySegment.NULL)) {
			api.invoke(LINKER.downcallHandle(fn, FunctionDescriptor.ofVoid(PTR)), pool);
		}
	}

	private MemorySegment cpuProc(String name) {
		MemorySegment dev = api.ptr(api.ggml_backend_dev_by_type, 0); // GGML_BACKEND_DEVICE_TYPE_CPU
		if (dev.equals(MemorySegment.NULL)) {
			return MemorySegment.NULL;
		}
		MemorySegment reg = api.ptr(api.ggml_backend_dev_backend_reg, dev);
		try (Arena a = Arena.ofConfined()) {
			return api.ptr(api.ggml_backend_reg_get_proc_address, reg, a.allocateFrom(name));
		}
	}
}
