#!/usr/bin/env bash
# The one command for a lent GPU machine without Node or internet: unpacks the carried .gpu/ folder (built by
# bench/gpu-pack.sh: Node 22, a trimmed node_modules with onnxruntime-web and dawn.node, the ML-100K artifacts,
# a Vulkan loader) into /tmp, finds the NVIDIA Vulkan driver, then runs bench/gpu-node.ts into "$OUT".
#
#   OUT=/some/dir bash bench/gpu-remote.sh        (from the repo root; OUT defaults to .cache/gpu-remote)
#
# Env: CINESAGE_BUDGET_S (the benchmark's own budget, default 270 s), CINESAGE_TOTAL_S (the whole script,
# default 390 s), CINESAGE_GRAPHS (e.g. ml-100k,synthetic-10k), DAWN_FLAGS (extra Dawn options, `;`-separated),
# VK_ICD_FILENAMES / VK_DRIVER_FILES (use this Vulkan driver instead of searching for NVIDIA's),
# CINESAGE_FORCE_CARRIED_VULKAN=1 (use the carried loader even when the system has one), CINESAGE_NO_XZ=1
# (unpack with python3 even where xz exists: the path a machine without xz takes), GPU_CARRY (.gpu),
# GPU_WORK (/tmp/cinesage-gpu). Every step says what it does; if the WebGPU run dies, a WASM-only run
# (--no-webgpu) still writes its results to "$OUT/wasm-only", and the log is "$OUT/log.txt".
set -u -o pipefail

ROOT=$(pwd)
OUT=${OUT:-$ROOT/.cache/gpu-remote}
CARRY=${GPU_CARRY:-$ROOT/.gpu}
WORK=${GPU_WORK:-/tmp/cinesage-gpu}
BUDGET_S=${CINESAGE_BUDGET_S:-270}
TOTAL_S=${CINESAGE_TOTAL_S:-390}
mkdir -p "$OUT"

step() { printf '\n== [%3d s] %s\n' "$SECONDS" "$*"; }
note() { printf '   %s\n' "$*"; }

# Decompresses an .xz file to a path, with xz when present, else python3's lzma.
unxz_to() {
  if [ "${CINESAGE_NO_XZ:-0}" != 1 ] && command -v xz >/dev/null 2>&1; then
    xz -dc "$1" >"$2"
  else
    python3 -c 'import lzma, shutil, sys
with lzma.open(sys.argv[1]) as src, open(sys.argv[2], "wb") as dst: shutil.copyfileobj(src, dst, 1 << 20)' "$1" "$2"
  fi
}

untar_xz() {
  if [ "${CINESAGE_NO_XZ:-0}" != 1 ] && command -v tar >/dev/null 2>&1 && command -v xz >/dev/null 2>&1; then
    tar -xJf "$1" -C "$2"
  else
    python3 -c 'import sys, tarfile
t = tarfile.open(sys.argv[1], "r:xz")
t.extractall(sys.argv[2], **({"filter": "fully_trusted"} if hasattr(tarfile, "data_filter") else {}))' "$1" "$2"
  fi
}

# Is a library name (bare or a path) loadable: a file, or in LD_LIBRARY_PATH / the ldconfig cache?
lib_found() {
  case "$1" in
    /*) [ -e "$1" ] && return 0 || return 1 ;;
  esac
  local d
  local IFS=:
  for d in ${LD_LIBRARY_PATH:-}; do [ -n "$d" ] && [ -e "$d/$1" ] && return 0; done
  ldconfig -p 2>/dev/null | grep -q "[[:space:]]$1 "
}

main() {
  step "CineSage GPU bench on $(hostname 2>/dev/null || echo '?'): repo $ROOT, carry $CARRY, work $WORK, results $OUT"
  note "$(uname -srm)"
  [ -r /etc/os-release ] && note "$(. /etc/os-release && echo "${PRETTY_NAME:-?}")"
  note "$(ldd --version 2>&1 | head -1) (dawn.node needs GLIBC_2.34)"
  local cxx
  cxx=$(ldconfig -p 2>/dev/null | grep -m1 'libstdc++.so.6 ' | sed 's/.*=> //')
  if [ -n "$cxx" ]; then
    grep -qa GLIBCXX_3.4.30 "$cxx" && note "$cxx has GLIBCXX_3.4.30 (dawn.node needs it)" || note "WARNING: $cxx lacks GLIBCXX_3.4.30: dawn.node will not load"
  fi
  local s
  for s in xz tar python3 nvidia-smi vulkaninfo; do note "$s: $(command -v "$s" || echo absent)"; done

  step "unpacking $CARRY into $WORK"
  if [ ! -s "$CARRY/node.xz" ] || [ ! -s "$CARRY/payload.tar.xz" ]; then
    note "FAILED: $CARRY/node.xz or $CARRY/payload.tar.xz is missing (carry .gpu, built by bench/gpu-pack.sh)"
    ls -la "$CARRY" 2>&1 | sed 's/^/   /'
    return 2
  fi
  rm -rf "$WORK" && mkdir -p "$WORK/bin" || return 2
  unxz_to "$CARRY/node.xz" "$WORK/bin/node" || { note "FAILED: decompressing node"; return 2; }
  chmod +x "$WORK/bin/node"
  untar_xz "$CARRY/payload.tar.xz" "$WORK" || { note "FAILED: unpacking the payload"; return 2; }
  if command -v sha256sum >/dev/null 2>&1 && [ -r "$CARRY/SHA256SUMS" ]; then
    (cd "$WORK" && sha256sum --quiet -c "$CARRY/SHA256SUMS") && note "checksums OK" || note "WARNING: checksum mismatch (see above)"
  fi
  local NODE="$WORK/bin/node"
  note "node $("$NODE" --version 2>&1) ($(du -sh "$WORK" | cut -f1) unpacked)"
  "$NODE" --version >/dev/null 2>&1 || { note "FAILED: the carried node does not start (glibc too old?)"; return 2; }

  step "node_modules for the repo (onnxruntime-web, webgpu)"
  if [ -e "$ROOT/node_modules/onnxruntime-web/package.json" ]; then
    note "using the existing $ROOT/node_modules"
    [ -e "$ROOT/node_modules/webgpu/package.json" ] || export CINESAGE_WEBGPU="$WORK/node_modules/webgpu"
  else
    [ -L "$ROOT/node_modules" ] && rm -f "$ROOT/node_modules"
    if [ -e "$ROOT/node_modules" ]; then
      note "FAILED: $ROOT/node_modules exists without onnxruntime-web"
      return 2
    fi
    ln -s "$WORK/node_modules" "$ROOT/node_modules" && note "linked $ROOT/node_modules -> $WORK/node_modules"
  fi

  step "Vulkan: loader and driver"
  local d
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
    if [ -d "$d" ]; then
      case ":${LD_LIBRARY_PATH:-}:" in *":$d:"*) ;; *) export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ;; esac
    fi
  done
  [ -d /usr/local/nvidia/bin ] && export PATH="/usr/local/nvidia/bin:$PATH"
  if [ "${CINESAGE_FORCE_CARRIED_VULKAN:-0}" = 1 ] || ! lib_found libvulkan.so.1; then
    export LD_LIBRARY_PATH="$WORK/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    note "using the carried Vulkan loader $WORK/lib/libvulkan.so.1 (Debian libvulkan1 1.3.239)"
  else
    note "system Vulkan loader: $(ldconfig -p 2>/dev/null | grep -m1 'libvulkan.so.1 ' | sed 's/.*=> //') ${LD_LIBRARY_PATH:+(LD_LIBRARY_PATH first: $LD_LIBRARY_PATH)}"
  fi
  if [ -n "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
    note "driver given: VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-} VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
  else
    local icd=''
    # The loader's default places first (it finds those by itself), then the NVIDIA folder.
    for d in /etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d /etc/xdg/vulkan/icd.d; do
      [ -d "$d" ] && note "$d: $(ls "$d" 2>/dev/null | tr '\n' ' ')"
    done
    icd=$(ls /etc/vulkan/icd.d/*nvidia*.json /usr/share/vulkan/icd.d/*nvidia*.json /usr/local/share/vulkan/icd.d/*nvidia*.json 2>/dev/null | head -1)
    if [ -n "$icd" ]; then
      note "NVIDIA ICD in a default place: $icd"
    else
      icd=$(find /usr/local/nvidia /etc/vulkan /usr/share/vulkan -maxdepth 6 -name '*nvidia*icd*.json' 2>/dev/null | head -1)
      if [ -z "$icd" ]; then
        local glx
        glx=$(find /usr/local/nvidia /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib -maxdepth 3 -name 'libGLX_nvidia.so.0' 2>/dev/null | head -1)
        if [ -n "$glx" ]; then
          icd="$WORK/nvidia_icd.json"
          printf '{"file_format_version": "1.0.0", "ICD": {"library_path": "%s", "api_version": "1.3.0"}}\n' "$glx" >"$icd"
          note "no NVIDIA ICD json found; wrote $icd for $glx"
        fi
      fi
      if [ -n "$icd" ]; then
        export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"
        note "VK_DRIVER_FILES=$icd"
      else
        note "NO NVIDIA Vulkan driver found (no *nvidia*icd*.json, no libGLX_nvidia.so.0): the container may lack the"
        note "'graphics' driver capability. WebGPU will report no adapter; WASM still runs."
      fi
    fi
    if [ -n "$icd" ] && [ -r "$icd" ]; then
      note "$(tr -d '\n' <"$icd")"
      local lib
      lib=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["ICD"]["library_path"])' "$icd" 2>/dev/null)
      if [ -n "$lib" ]; then lib_found "$lib" && note "ICD library $lib: found" || note "WARNING: ICD library $lib not found"; fi
    fi
  fi
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
    [ -d "$d" ] && note "$d: $(ls "$d" | grep -E 'GLX_nvidia|glcore|glvkspirv|EGL_nvidia|libcuda.so.1|nvidia-ml.so.1' | tr '\n' ' ')"
  done
  export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$WORK}
  export VK_LOADER_DEBUG=${VK_LOADER_DEBUG:-error}

  step "GPUs"
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi -L 2>&1 | sed 's/^/   /'
    nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv 2>&1 | sed 's/^/   /'
  else
    note "nvidia-smi: absent"
  fi
  command -v vulkaninfo >/dev/null 2>&1 && timeout 30 vulkaninfo --summary 2>&1 | sed -n '1,40p' | sed 's/^/   /'

  step "Vulkan adapters Dawn sees"
  timeout 60 "$NODE" bench/gpu-node.ts --list-adapters --out "$OUT" 2>&1 | sed 's/^/   /'

  local rc
  step "benchmark: bench/gpu-node.ts (budget ${BUDGET_S} s)"
  timeout -k 10 $((BUDGET_S + 60)) "$NODE" bench/gpu-node.ts --artifacts "$WORK/artifacts" --out "$OUT" \
    --budget "$BUDGET_S" ${CINESAGE_GRAPHS:+--graphs "$CINESAGE_GRAPHS"}
  rc=$?
  note "exit status $rc"
  if [ "$rc" -ne 0 ] || ! grep -q '"finished": true' "$OUT/gpu-node.json" 2>/dev/null; then
    local left=$((TOTAL_S - SECONDS - 20))
    if [ "$left" -ge 40 ]; then
      [ "$left" -gt 150 ] && left=150
      step "the WebGPU run did not finish: WASM-only run into $OUT/wasm-only (budget $left s)"
      timeout -k 10 $((left + 30)) "$NODE" bench/gpu-node.ts --no-webgpu --artifacts "$WORK/artifacts" \
        --out "$OUT/wasm-only" --budget "$left" ${CINESAGE_GRAPHS:+--graphs "$CINESAGE_GRAPHS"}
      note "exit status $?"
    else
      step "the WebGPU run did not finish, and no time is left for a WASM-only run"
    fi
  fi

  step "report ($OUT/GPU-NODE.md)"
  [ -r "$OUT/GPU-NODE.md" ] && grep -v '^The same code' "$OUT/GPU-NODE.md"
  [ -r "$OUT/wasm-only/GPU-NODE.md" ] && { step "WASM-only report"; sed -n '/^| graph/,/^$/p' "$OUT/wasm-only/GPU-NODE.md"; }
  step "done in $SECONDS s: $(ls "$OUT" | tr '\n' ' ')"
  return "$rc"
}

main "$@" 2>&1 | tee "$OUT/log.txt"
exit "${PIPESTATUS[0]}"
