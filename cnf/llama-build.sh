#!/usr/bin/env bash
# Builds llama.cpp's libraries from its source for this machine's CPU (GGML_NATIVE), laid out as a llama.native
# bundle expects them: libllama.v<release>.so and the ggml libraries under their SONAMEs, found through $ORIGIN.
#   llama-build.sh SOURCE_DIR RELEASE DEST BUILD_DIR PLATFORM
# Used by the llama-from-source profile of llama.native.linux-x64 / -arm64 (mvn -Pllama-from-source ...). A bundle
# for another platform than this machine's keeps node-llama-cpp's prebuilt libraries, which DEST already holds.
# Without OpenMP by default: ggml's own threadpool, which the engine attaches per model, copes with busy CPUs;
# LLAMA_OPENMP=ON builds with OpenMP as llama.cpp's own build does (faster prompts on an idle machine, spinning
# threads that collapse when other work shares the cores).
set -euo pipefail
src=$1 release=$2 dest=$3 build=$4 platform=$5
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) here=linux-x64 ;; Linux-aarch64) here=linux-arm64 ;; *) here=other ;;
esac
if [ "$platform" != "$here" ]; then
  echo "llama-build: $platform is not this machine's platform ($here): keeping the prebuilt libraries"
  exit 0
fi
command -v cmake >/dev/null || { echo "llama-build: cmake is needed" >&2; exit 1; }
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DGGML_NATIVE=ON \
  -DGGML_BACKEND_DL=OFF -DGGML_OPENMP="${LLAMA_OPENMP:-OFF}" -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON \
  -DCMAKE_INSTALL_RPATH='$ORIGIN' >/dev/null
cmake --build "$build" -j"$(nproc)" --target llama >/dev/null
rm -rf "$dest" && mkdir -p "$dest"
for lib in "$build"/bin/libggml*.so; do
  soname=$(objdump -p "$lib" | sed -n 's/^ *SONAME *//p')
  cp -L "$lib" "$dest/${soname:-$(basename "$lib")}"
done
cp -L "$build/bin/libllama.so" "$dest/libllama.v$release.so"
echo "llama-build: llama.cpp $release for this CPU -> $dest ($(ls "$dest" | wc -l) libraries)"
