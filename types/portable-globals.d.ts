/**
 * The few globals src/core uses that every place it runs provides — browsers, workers and Node ≥ 20 — but
 * that TypeScript declares only in the DOM or Node libraries. tsconfig.core.json checks src/core against
 * ES2023 plus exactly these, so core cannot start using anything page-, worker- or Node-only unnoticed.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}

declare function structuredClone<T>(value: T): T;

declare var crypto:
  | { subtle?: { digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> } }
  | undefined;
