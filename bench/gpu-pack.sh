#!/usr/bin/env bash
# Builds the carry folder .gpu/ that bench/gpu-remote.sh unpacks on a GPU machine without Node or internet:
# node.xz (this checkout's Node 22 binary) and payload.tar.xz (node_modules with only what bench/gpu-node.ts
# loads at run time — onnxruntime-web's package.json, its webgpu and wasm bundles with their loaders and .wasm,
# and the `webgpu` package with only dist/linux-x64/dawn.node —, the four ML-100K artifacts and Debian's
# Vulkan loader libvulkan.so.1), plus SHA256SUMS and MANIFEST.txt.
#
#   bash bench/gpu-pack.sh [webgpu-0.6.2.tgz]     (default $WEBGPU_TGZ, else `npm pack webgpu@0.6.2`)
#
# Env: CINESAGE_ARTIFACTS (default public/artifacts; `npm run artifacts` builds them), VULKAN_LOADER (a
# libvulkan.so.1; default the system's, else `apt-get download libvulkan1` + `dpkg -x`).
set -euo pipefail

TGZ=${1:-${WEBGPU_TGZ:-}}
ART=${CINESAGE_ARTIFACTS:-public/artifacts}
OUT=.gpu
NODE_BIN=node_modules/node/bin/node
ORT=node_modules/onnxruntime-web

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# Dawn for Node is a throwaway of this check, not a project dependency: fetched from the npm registry here.
if [ -z "$TGZ" ]; then
  (cd "$stage" && npm pack --silent webgpu@0.6.2 >/dev/null)
  TGZ="$stage/webgpu-0.6.2.tgz"
fi
mkdir -p "$OUT" "$stage/node_modules/onnxruntime-web/dist" "$stage/node_modules/webgpu/dist/linux-x64" "$stage/artifacts" "$stage/lib"

echo "onnxruntime-web $(node_modules/.bin/node -p "require('./$ORT/package.json').version")"
cp "$ORT/package.json" "$stage/node_modules/onnxruntime-web/"
# In Node (a file: URL) the bundles import their Emscripten loader .mjs instead of the embedded copy.
for f in ort.webgpu.bundle.min.mjs ort.wasm.bundle.min.mjs ort-wasm-simd-threaded.{mjs,wasm} ort-wasm-simd-threaded.asyncify.{mjs,wasm}; do
  cp "$ORT/dist/$f" "$stage/node_modules/onnxruntime-web/dist/"
done

echo "webgpu from $TGZ"
tar -xzf "$TGZ" -C "$stage" package/package.json package/index.js package/LICENSE.md package/dist/linux-x64/dawn.node
cp -r "$stage/package/." "$stage/node_modules/webgpu/"
rm -rf "$stage/package"

for f in snapshot.bin model.fp32.onnx model.int8.onnx model.fp16.onnx; do cp "$ART/$f" "$stage/artifacts/"; done

loader=${VULKAN_LOADER:-/usr/lib/x86_64-linux-gnu/libvulkan.so.1}
if [ ! -e "$loader" ]; then
  (cd "$stage" && apt-get download libvulkan1 && dpkg -x libvulkan1_*.deb vk && rm -f libvulkan1_*.deb)
  loader=$(ls "$stage"/vk/usr/lib/x86_64-linux-gnu/libvulkan.so.1)
fi
cp -L "$loader" "$stage/lib/libvulkan.so.1"
[ -r /usr/share/doc/libvulkan1/copyright ] && cp /usr/share/doc/libvulkan1/copyright "$stage/lib/libvulkan1.copyright"
rm -rf "$stage/vk"

# The node binary: recompressing takes a minute, so only when it changed.
node_sum=$(sha256sum "$NODE_BIN" | cut -d' ' -f1)
if [ ! -s "$OUT/node.xz" ] || [ "$(cat "$OUT/node.sha256" 2>/dev/null)" != "$node_sum" ]; then
  echo "compressing $NODE_BIN ($(du -h "$NODE_BIN" | cut -f1))…"
  xz -9 -T2 -c "$NODE_BIN" >"$OUT/node.xz.tmp" && mv "$OUT/node.xz.tmp" "$OUT/node.xz"
  echo "$node_sum" >"$OUT/node.sha256"
fi

echo "compressing the payload ($(du -sh "$stage" | cut -f1))…"
tar -C "$stage" --owner=0 --group=0 -cf - node_modules artifacts lib | xz -9e -T2 >"$OUT/payload.tar.xz.tmp"
mv "$OUT/payload.tar.xz.tmp" "$OUT/payload.tar.xz"

mkdir -p "$stage/bin" && cp "$NODE_BIN" "$stage/bin/node"
(cd "$stage" && find bin node_modules artifacts lib -type f | sort | xargs sha256sum) >"$OUT/SHA256SUMS"
{
  echo "CineSage GPU carry folder, built by bench/gpu-pack.sh on $(date -u +%FT%TZ); unpacked by bench/gpu-remote.sh."
  echo "node $(node_modules/.bin/node --version); webgpu $(tar -xzOf "$TGZ" package/package.json | grep -m1 '"version"' | tr -d ' ",' | cut -d: -f2)"
  echo
  (cd "$stage" && find . -type f | sort | xargs ls -l | awk '{printf "%12d  %s\n", $5, $9}')
} >"$OUT/MANIFEST.txt"
ls -l "$OUT"
echo "total: $(du -cb "$OUT"/* | tail -1 | cut -f1) bytes ($(du -sh "$OUT" | cut -f1))"
