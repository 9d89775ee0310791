package ai.local.runtime.provider.ollama;

/** Values sent to Ollama when a request does not set them; null = Ollama's own default. */
record OllamaDefaults(Integer numCtx, String keepAlive) {
}
